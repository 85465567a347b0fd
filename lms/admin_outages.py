"""The staff banner: every Wagtail admin page says which dependency is down and what it means.

The state comes from :func:`lms.outages.dependencies_down` (checked at most every few seconds
per process). A database outage shows here only on the pages that do not need the database;
the others answer with the "briefly unavailable" page (lms.outages).
"""

from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .outages import dependencies_down

BANNER_HEADING = _(
    "Some of Hunar's services are down. Nothing needs restarting: this banner goes away by "
    "itself when they are back."
)
WHAT_IT_MEANS = {
    "database": _(
        "The database (PostgreSQL) is not answering: learners see a \u201cbriefly "
        "unavailable\u201d page and can save nothing until it is back."
    ),
    "cache": _(
        "The cache (Redis) is not answering: learners keep learning from the database, a "
        "little slower; verification counts go straight to the database; uploaded PDFs that "
        "Hunar did not issue cannot be checked."
    ),
    "broker": _(
        "The task broker is not answering: certificate PDFs, e-mails and weekly reports wait "
        "until it is back."
    ),
}


def outage_banner_html() -> str:
    down = dependencies_down()
    if not down:
        return ""
    return format_html(
        '<div class="messages hunar-outage-banner" role="alert" data-hunar-outage>'
        '<ul><li class="warning"><strong>{}</strong><ul>{}</ul></li></ul></div>'
        '<script src="{}"></script>',
        BANNER_HEADING,
        format_html_join("", "<li>{}</li>", ((WHAT_IT_MEANS[name],) for name in down)),
        static("js/admin-outage-banner.js"),
    )


@hooks.register("insert_global_admin_js")
def outage_banner():
    return outage_banner_html()
