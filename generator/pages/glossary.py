"""The 术语 page (/terms/): every entry of formats/terms.yaml with the labels it explains, and every
rate of formats/rates.yaml with its formula and the cells it adds up in each format."""
from __future__ import annotations

from ..formats import FORMATS
from ..formats.rates import RATES, figures_of
from ..formats.terms import TERMS
from .summary import cells_in_words


def glossary_context() -> dict:
    return {"terms": TERMS, "rates": [_rate(r) for r in RATES.rates]}


def _rate(rate) -> dict:
    per_format = []
    for fmt in FORMATS.values():
        labels = {i: f.label for i, f in figures_of(fmt).items()}
        per_format.append((fmt, rate.formula(labels), cells_in_words(fmt, rate.numerator + rate.denominator)))
    return {"rate": rate, "formats": per_format}
