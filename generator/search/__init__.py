"""Full-text search: the text each report offers to the index, and the index the search page reads."""
