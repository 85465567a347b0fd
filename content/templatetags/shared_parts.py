"""``{% sharedpart "name" %}…{% endsharedpart %}``: HTML every visitor of a page shares, cached.

The enclosed template renders from a context holding only ``page``, the active language and the
tag's own ``name=value`` arguments: no request, user, CSRF token or messages, so nothing
personal can reach the shared cache even by mistake, and the output is the same whether it comes
from the cache or not. The context's ``shared_parts`` (a ``content.page_cache.SharedParts``)
stores the result; without it (a preview of a draft) the part is rendered every time.
"""

from django import template
from django.template.base import token_kwargs
from django.utils import translation

register = template.Library()


class SharedPartNode(template.Node):
    def __init__(self, name, kwargs, nodelist):
        self.name, self.kwargs, self.nodelist = name, kwargs, nodelist

    def render(self, context):
        parts = context.get("shared_parts")
        if parts is None:
            return self._render_shared(context)
        return parts.get(self.name.resolve(context), lambda: self._render_shared(context))

    def _render_shared(self, context):
        values = {name: value.resolve(context) for name, value in self.kwargs.items()}
        values.setdefault("page", context.get("page"))
        values["LANGUAGE_CODE"] = translation.get_language()
        values["LANGUAGE_BIDI"] = translation.get_language_bidi()
        shared = template.Context(
            values,
            autoescape=context.autoescape,
            use_l10n=context.use_l10n,
            use_tz=context.use_tz,
        )
        with shared.bind_template(context.template):
            return self.nodelist.render(shared)


@register.tag
def sharedpart(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs the part's name")
    name = parser.compile_filter(bits[1])
    kwargs = token_kwargs(bits[2:], parser)
    if len(kwargs) != len(bits) - 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes name=value arguments after the name")
    nodelist = parser.parse(("endsharedpart",))
    parser.delete_first_token()
    return SharedPartNode(name, kwargs, nodelist)
