"""The rule catalogue (rules.yaml): ids, severities, titles, message templates."""
from ..diagnostics import RULE_IDS

__all__ = ["RULE_IDS"]
