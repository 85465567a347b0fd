"""Site-wide pages: the home page of each locale and plain standard pages (about, help, centers).

Child-page rules live on the children (``parent_page_types``), so this app names no higher app.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock
from .routing import find_page_by_url_path


class HomePage(Page):
    """The root of a locale's site: what a visitor sees at ``/`` (English) or ``/ur/`` (Urdu)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find a descendant by its URL path in one query instead of one query per level.

        Falls back to Wagtail's level-by-level routing for paths that are not a page's own URL
        (a page that routes its own sub-paths, or a miss).
        """
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            page = find_page_by_url_path(url_path, within=self)
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Tracks and standard pages, whatever their type, in the order editors arranged them.
        context["sections"] = self.get_children().live().specific()
        return context


class StandardPage(Page):
    """A plain page: about the programme, help, the list of centers."""

    introduction = RichTextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["content.HomePage", "content.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
