"""``{% programme as programme %}``: the programme's identity (``lms.programme``) in a template."""

from django import template

from lms.programme import programme_get

register = template.Library()


@register.simple_tag
def programme():
    return programme_get()
