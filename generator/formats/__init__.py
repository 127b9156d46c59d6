"""The national report formats, as data. `FORMATS` maps a format id ("2019", "2021") to its spec."""
from .spec import (FORMATS, SECTIONS, Block, Column, Format, Node, Row, Rule, Section, Table, Term, get_format,
                   per_format)

__all__ = ["FORMATS", "SECTIONS", "Section", "Block", "Column", "Format", "Row", "Rule", "Table", "Term",
           "Node", "get_format", "per_format"]
