"""The indicator table as the dashboard, the big screen and the Excel export show it:
the same columns, in the same order, from ``rates`` alone."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tongxin.indicators.rates import RATES

#: (key, label, kind): a counter, a rate (fraction), hours or the score.
COLUMNS = (
    ("received", _("Demands reported"), "count"),
    ("counted", _("Counted"), "count"),
    *((rate.code, rate.label, "rate") for rate in RATES),
    ("average_hours", _("Average hours to resolve"), "hours"),
    ("score", _("Composite score"), "score"),
)


def value(figures, key: str, kind: str):
    """The raw value (a number or ``None``) of one column for one set of figures."""
    return figures.counters.get(key, 0) if kind == "count" else figures.values[key]


def shown(number, kind: str) -> str:
    """How a value reads on a page: "85.0%", "12.5", "—" when there is nothing to measure."""
    if number is None:
        return "—"
    if kind == "rate":
        return f"{number * 100:.1f}%"
    if kind in ("hours", "score"):
        return f"{number:.1f}"
    return str(number)


def cells(figures) -> list[str]:
    return [shown(value(figures, key, kind), kind) for key, _label, kind in COLUMNS]


def excel_value(number, kind: str):
    """Rates stay fractions (the sheet formats them as percentages); nothing measured is empty."""
    if number is None:
        return None
    return round(number, 4) if kind == "rate" else round(number, 1) if kind != "count" else number
