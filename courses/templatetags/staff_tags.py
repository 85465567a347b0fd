"""What learners see of their trainers' work: ``{% due_label moment %}`` ("Due Friday", "Due
tomorrow", "Overdue since 3 Oct", in the reader's language and time zone) and an announcement
in the reader's language, its body sanitized again on the way out."""

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from content.sanitize import clean_html

register = template.Library()


@register.filter
def announcement_in(announcement, language) -> tuple[str, str]:
    return announcement.in_language(language)


@register.filter
def clean_announcement(body) -> str:
    return mark_safe(clean_html(body or ""))  # noqa: S308  (clean_html is the allow-list)


@register.simple_tag
def due_label(moment, now=None) -> str:
    now = timezone.localtime(now or timezone.now())
    moment = timezone.localtime(moment)
    day, today = moment.date(), now.date()
    if moment < now:
        return _("Overdue since %(date)s") % {"date": formats.date_format(day, "j M")}
    if day == today:
        return _("Due today, %(time)s") % {"time": formats.time_format(moment, "TIME_FORMAT")}
    if day == today + datetime.timedelta(days=1):
        return _("Due tomorrow")
    if day < today + datetime.timedelta(days=7):
        return _("Due %(weekday)s") % {"weekday": formats.date_format(day, "l")}
    return _("Due %(date)s") % {"date": formats.date_format(day, "j M")}
