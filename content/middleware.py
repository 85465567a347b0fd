"""Route Wagtail page requests from the shared cache: the site, its home page and the page."""

import hashlib

from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Site
from wagtail.url_routing import RouteResult

from . import page_cache
from .routing import is_shared_route

# A site's entry is also dropped at once by any Site save (a new content version).
SITE_TTL = 60


class PageRoutingMiddleware:
    """Finds the Wagtail site, home page and page of a page request in one cache round trip.

    For every page, Wagtail first looks the site up (a query ranking hostname and port with a
    CASE expression), reads the home page in the request's language (a locale query and the
    specific home page), then routes from it (here one more query, ``content.routing``). This
    keeps the site with its home page per hostname, port and language, and each found page per
    URL, in the shared cache (``content.page_cache``: any content change makes them stale);
    Wagtail's view then serves the result as usual, since ``Page.route_for_request`` reuses what
    it finds on the request. Only routes every visitor shares are kept (a registered page type
    served as itself; never a miss). A home page itself (``/``, ``/ur/``) is left to Wagtail,
    which reads it fresh.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve:
            return None
        hostname = split_domain_port(request._get_raw_host())[0]  # as Wagtail does
        where = f"{hostname}:{request.get_port()}:{translation.get_language()}"
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        components = [component for component in path.split("/") if component]
        digest = hashlib.md5("/".join(components).encode(), usedforsecurity=False).hexdigest()
        site_key, route_key = f"hunar:site:{where}", f"hunar:route:{where}:{digest}"
        parts_key = f"{route_key}:parts"
        version, found = page_cache.read([site_key, route_key, parts_key])
        if site_key in found:
            site, home = found[site_key]
        else:
            site = Site.find_for_request(request)
            if site is None:
                return None  # no site answers: Wagtail's 404
            # get_specific(), not .specific: the site's root page stays a plain page, which
            # Wagtail specialises afresh when it serves the home page itself.
            home = site.root_page.localized.get_specific()
            page_cache.write(site_key, version, (site, home), SITE_TTL)
        request._wagtail_site = site
        if not components:
            return None
        if route_key in found:
            result = RouteResult(found[route_key])
        else:
            try:
                result = home.route(request, components)
            except Http404:
                result = None
            if result is None or not is_shared_route(result):
                request._wagtail_route_for_request = result
                return None
            page_cache.write(route_key, version, result.page)
        # The page's shared parts (page_cache.SharedParts), read in this same round trip.
        result.page._shared_parts = page_cache.SharedParts(parts_key, version, found.get(parts_key))
        request._wagtail_route_for_request = result
        return None
