"""Wagtail's admin without inline scripts (docs/decisions/0011-content-security-policy.md).

Wagtail 8 still follows a chooser, a date field or an inline panel with an inline ``<script>``
that calls its initialiser. Under Hunar's policy those never run, and no nonce can reach them
(widgets render without the request, and modal HTML arrives in a later response). Instead they
render a marker, :func:`init_marker`, which ``static/js/admin-csp-init.js`` turns into the same
call. Choosers are patched here; date fields and inline panels through the templates in
``templates/wagtailadmin/``.
"""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser


def init_marker(callee: str, *args, construct: bool = False, json_args: str = "") -> str:
    """An inert element that admin-csp-init.js replaces by ``[new] callee(*args, *json_args)``.

    ``args`` are JSON-encoded here; ``json_args`` is a JSON array already encoded (Wagtail's own
    ``options_json``), appended. Everything lands in escaped attributes, never in script.
    """
    encoded = [json.dumps(arg) for arg in args]
    if json_args:
        encoded.append(json_args)
    return format_html(
        '<span hidden data-csp-init="{}"{} data-csp-args="[{}]"></span>',
        callee,
        mark_safe(" data-csp-new") if construct else "",
        ",".join(encoded),
    )


_wagtail_render = BaseChooser.render
_default_js_init = BaseChooser.render_js_init


def _chooser_render(self, name, value, attrs=None, renderer=None):
    """BaseChooser.render (Wagtail 8), with a marker where Wagtail writes ``<script>``."""
    custom_init = type(self).render_js_init is not _default_js_init
    if custom_init and not isinstance(self, AdminTaskChooser):
        # An initialiser this module does not know: Wagtail's inline script, which the policy
        # blocks and the browser test reports, rather than a guess.
        return _wagtail_render(self, name, value, attrs, renderer)
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as missing:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from missing
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    if isinstance(self, AdminTaskChooser):
        marker = init_marker("createTaskChooser", id_)
    else:
        options = self.get_js_init_options(id_, name, value_data)
        marker = init_marker(self.js_constructor, id_, options, construct=True)
    return mark_safe(widget_html + marker)  # noqa: S308 -- Wagtail's widget HTML + an escaped marker


def choosers_without_inline_scripts() -> None:
    """Render every Wagtail chooser widget with a marker instead of an inline script."""
    BaseChooser.render = _chooser_render
