"""``{% programme as programme %}``: the programme's identity (``lms.programme``) in a template.

Read once per request (the header and the footer both ask), and in shared page parts, which
render without a request, through ``programme_get`` itself.
"""

from django import template

from lms.programme import programme_get

register = template.Library()


@register.simple_tag(takes_context=True)
def programme(context):
    request = context.get("request")
    if request is None:
        return programme_get()
    found = getattr(request, "_hunar_programme", None)
    if found is None:
        found = request._hunar_programme = programme_get()
    return found
