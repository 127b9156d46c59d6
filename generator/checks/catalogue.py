"""The rule catalogue (rules.yaml): ids, severities, titles, message templates."""
from ..diagnostics import CATALOGUE

RULE_IDS = frozenset(CATALOGUE)
