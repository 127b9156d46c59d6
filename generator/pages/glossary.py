"""The 术语 page (/terms/): every entry of formats/terms.yaml with the labels it explains, and every
rate of formats/rates.yaml with its formula and the cells it adds up in each format."""
from __future__ import annotations

from ..formats import FORMATS
from ..formats.rates import RATES, figures_of
from ..formats.terms import TERMS
from ..points import cells_in_words


def glossary_context() -> dict:
    return {"terms": TERMS, "rates": [_rate(r) for r in RATES.rates]}


def _rate(rate) -> dict:
    """The rate's formula and cells, once for the formats where they read the same."""
    ways: dict[tuple, list[str]] = {}
    for fmt in FORMATS.values():
        labels = {i: f.label for i, f in figures_of(fmt).items()}
        way = (rate.formula(labels), tuple(cells_in_words(fmt, rate.numerator + rate.denominator)))
        ways.setdefault(way, []).append(fmt.id)
    return {"rate": rate, "ways": [(formula, cells, "、".join(ids)) for (formula, cells), ids in ways.items()]}
