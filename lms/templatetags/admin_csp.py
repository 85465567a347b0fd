"""``{% csp_init %}``: the marker that replaces an inline ``<script>`` in Wagtail's admin
templates (lms.admin_csp.init_marker)."""

from django import template

from lms.admin_csp import init_marker

register = template.Library()


@register.simple_tag
def csp_init(callee, *args, construct=False, json_args=""):
    return init_marker(callee, *args, construct=construct, json_args=json_args)
