"""Full-text search: the text each report offers to the index, cut into words, and the Pagefind index."""
