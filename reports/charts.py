"""Bar charts drawn on the server as SVG: no chart library, nothing for the browser to run.

Each chart carries a ``<title>`` and a ``<desc>`` (named by ``aria-labelledby``) and is shown
next to a table holding the same numbers, so a screen reader, a text browser and a printed PDF
all get the figures. Bars are horizontal: long center names fit, in English and in Urdu.
"""

from dataclasses import dataclass

from django.utils.crypto import get_random_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 60
BAR_HEIGHT = 18
GAP = 8
TOP = 8


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    description: str
    unit: str
    rows: list[tuple[str, float | None]]
    svg: SafeString


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(*, title: str, description: str, rows, unit: str = "", maximum=None) -> Chart:
    """A horizontal bar chart of ``rows`` ((label, value or None), ...). Percentages use a
    0–100 scale (``maximum=100``); counts scale to the largest value."""
    rows = [(str(label), value) for label, value in rows]
    chart_id = "chart-" + get_random_string(8, "abcdefghijklmnopqrstuvwxyz")
    largest = maximum or max((v for _, v in rows if v), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + len(rows) * (BAR_HEIGHT + GAP)
    bars = []
    for index, (label, value) in enumerate(rows):
        y = TOP + index * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT - 4
        width = 0 if not value else max(1, round(plot * float(value) / float(largest)))
        shown = "—" if value is None else f"{value:g}{unit}"
        bars.append(
            format_html(
                '<g><text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"></rect>'
                '<text x="{}" y="{}" class="chart-value">{}</text></g>',
                LABEL_WIDTH - 6,
                text_y,
                _shorten(label),
                LABEL_WIDTH,
                y,
                width,
                BAR_HEIGHT,
                LABEL_WIDTH + width + 4,
                text_y,
                shown,
            )
        )
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="report-chart" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "<style>.chart-bar{{fill:#2e6f9e}}.chart-label,.chart-value{{font:12px sans-serif;"
        "fill:#222}}</style>{bars}</svg>",
        w=WIDTH,
        h=max(height, 40),
        id=chart_id,
        title=title,
        desc=description,
        bars=mark_safe("".join(bars)),  # noqa: S308 -- each part escaped by format_html
    )
    return Chart(chart_id, title, description, unit, rows, svg)


CHART_TEXTS = {
    "center": {
        "reach": gettext_lazy("Learners per center"),
        "reach_desc": gettext_lazy("Learners enrolled per center: %(list)s."),
        "completion": gettext_lazy("Completion rate per center"),
        "completion_desc": gettext_lazy(
            "Share of enrollments completed per center, in percent, on a scale of 0 to 100."
        ),
    },
    "cohort": {
        "reach": gettext_lazy("Learners per cohort"),
        "reach_desc": gettext_lazy("Learners enrolled per cohort: %(list)s."),
        "completion": gettext_lazy("Completion rate per cohort"),
        "completion_desc": gettext_lazy(
            "Share of enrollments completed per cohort, in percent, on a scale of 0 to 100."
        ),
    },
}


def figure_charts(rows, *, per: str) -> list[Chart]:
    """The two charts of a figures table (``per`` "center" or "cohort"): reach (learners) and
    outcome (completion rate)."""
    if not rows:
        return []
    texts = CHART_TEXTS[per]
    described = ", ".join(f"{r.label}: {r.learners}" for r in rows)
    reach = bar_chart(
        title=str(texts["reach"]),
        description=str(texts["reach_desc"]) % {"list": described},
        rows=[(r.label, r.learners) for r in rows],
    )
    completion = bar_chart(
        title=str(texts["completion"]),
        description=str(texts["completion_desc"]),
        rows=[(r.label, r.completion_rate) for r in rows],
        unit="%",
        maximum=100,
    )
    return [reach, completion]
