"""The national report formats, as data. `FORMATS` maps a format id ("2019", "2021") to its spec."""
from .spec import FORMATS, SECTIONS, Section, Block, Column, Format, Row, Rule, Table, Term, get_format, per_format

__all__ = ["FORMATS", "SECTIONS", "Section", "Block", "Column", "Format", "Row", "Rule", "Table", "Term",
           "get_format", "per_format"]
