"""The importers' own error, apart from documents.py so that each reader can raise it without
importing the module that dispatches to the readers."""


class DocumentError(Exception):
    """The document cannot be read; the message (Chinese, one line) says why and what to do."""
