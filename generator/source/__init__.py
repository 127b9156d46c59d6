"""Reading content files: front matter, YAML with the position of every value, the folder tree."""
