"""Weekly trend charts drawn on the server as SVG columns, one per week: nothing for the browser
to run, a few KB each.

Time runs left to right on Urdu pages too (the SVG is ``direction: ltr``; each label is its own
text run, so an Urdu month name still reads right to left inside it). Each chart has a
``<title>`` and a ``<desc>`` naming the figure and the weeks, each column a ``<title>`` with its
week and value (a tooltip), and the page folds the same numbers beneath it in a table
(``templates/reports/includes/trend_charts.html``).
"""

import datetime

from django.utils import formats
from django.utils.crypto import get_random_string
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .charts import Chart
from .trends import FIGURES, Trend

WIDTH, HEIGHT = 640, 180
SMALL_WIDTH, SMALL_HEIGHT = 300, 110
LEFT, BOTTOM, TOP = 40, 22, 10
MAX_LABELS = 7


def week_label(monday: datetime.date) -> str:
    """The week as its Monday, short ("7 Sep"), in the page's language."""
    return formats.date_format(monday, "j M")


def _week_long(monday: datetime.date) -> str:
    return formats.date_format(monday, "j M Y")


def _shown(value, unit) -> str:
    return "—" if value is None else f"{value}{unit}"


def _nice(largest: int) -> int:
    """A round top for the scale: 1, 2 or 5 times a power of ten, at least ``largest``."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m >= largest:
                return step * m
        step *= 10


def trend_chart(
    *, trend: Trend, figure: str, subject: str = "", small: bool = False, maximum=None
) -> Chart:
    """The columns of one figure of ``trend``. ``subject`` (a center's name) starts the title;
    ``maximum`` shares one scale between small charts set side by side."""
    spec = FIGURES[figure]
    series = trend.series(figure)
    width, height = (SMALL_WIDTH, SMALL_HEIGHT) if small else (WIDTH, HEIGHT)
    chart_id = "trend-" + get_random_string(8, "abcdefghijklmnopqrstuvwxyz")
    first, last = series[0][0], series[-1][0]
    title = str(spec.title) if not subject else f"{subject}: {spec.title}"
    weeks = _("%(title)s, week by week, %(first)s to %(last)s") % {
        "title": title,
        "first": _week_long(first),
        "last": _week_long(last),
    }
    values = [v for _w, v in series if v is not None]
    top = 100 if spec.rate else (maximum or _nice(max(values, default=0) or 1))
    if values:
        peak_week, peak = max(((w, v) for w, v in series if v is not None), key=lambda p: p[1])
        desc = _(
            "%(count)s weeks. Highest: %(peak)s in the week of %(peak_week)s. "
            "Latest week: %(last_value)s. The table below the chart holds every week."
        ) % {
            "count": len(series),
            "peak": _shown(peak, spec.unit),
            "peak_week": _week_long(peak_week),
            "last_value": _shown(series[-1][1], spec.unit),
        }
    else:
        desc = _("%(count)s weeks, with nothing to count in any of them.") % {"count": len(series)}
    plot_w, plot_h = width - LEFT - 8, height - TOP - BOTTOM
    slot = plot_w / len(series)
    bar_w = max(1.0, slot * 0.7)
    every = -(-len(series) // MAX_LABELS)
    columns, labels = [], []
    for index, (week, value) in enumerate(series):
        x = LEFT + index * slot + (slot - bar_w) / 2
        h = 0 if not value else max(1.0, plot_h * value / top)
        columns.append(
            (
                f"{x:.1f}",
                f"{TOP + plot_h - h:.1f}",
                f"{bar_w:.1f}",
                f"{h:.1f}",
                f"{week_label(week)}: {_shown(value, spec.unit)}",
            )
        )
        if index % every == 0:
            labels.append((f"{x + bar_w / 2:.1f}", height - 6, week_label(week)))
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="report-chart report-trend" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "<style>.t-bar{{fill:#2e6f9e}}.t-axis{{stroke:#767676}}text{{font:11px sans-serif;"
        "fill:#222;direction:ltr}}</style>"
        '<line class="t-axis" x1="{left}" y1="{base}" x2="{right}" y2="{base}"/>'
        '<text x="{tick}" y="{top_y}" text-anchor="end">{top}{unit}</text>'
        '<text x="{tick}" y="{base}" text-anchor="end">0</text>{columns}{labels}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=weeks,
        desc=desc,
        left=LEFT,
        right=width - 8,
        base=TOP + plot_h,
        tick=LEFT - 4,
        top_y=TOP + 8,
        top=top,
        unit=spec.unit,
        columns=format_html_join(
            "",
            '<rect class="t-bar" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
            columns,
        ),
        labels=format_html_join("", '<text x="{}" y="{}" text-anchor="middle">{}</text>', labels),
    )
    rows = [(week_label(week), value) for week, value in series]
    return Chart(chart_id, title, desc, spec.unit, rows, svg)


def trend_charts(trend: Trend) -> list[Chart]:
    """The four weekly charts of one group (the programme, a center, a cohort)."""
    return [trend_chart(trend=trend, figure=key) for key in FIGURES]


def largest_of(trends, figure: str) -> int:
    """The shared scale of small charts side by side: one round top over every group."""
    return _nice(max((v or 0 for t in trends for _w, v in t.series(figure)), default=0) or 1)
