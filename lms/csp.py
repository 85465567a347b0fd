"""Content-Security-Policy on every response: django-csp's middleware, one policy for the site
and a slightly wider one for the Wagtail admin (docs/decisions/0011-content-security-policy.md).

The site's policy is ``CONTENT_SECURITY_POLICY``; under ``HUNAR_ADMIN_PATH_PREFIX`` (and for
Wagtail's previews) the admin's, ``HUNAR_ADMIN_CONTENT_SECURITY_POLICY``, is used instead. A
view that sets its own policy (the offline verifier, with script hashes) keeps it: django-csp
never replaces a header already set.
A template that needs an inline ``<script>`` or ``<style>`` on the site writes
``nonce="{{ request.csp_nonce }}"``; reading the nonce is what adds it to the header.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings


def policy_directives_for(request) -> dict:
    """The directives (django-csp form) that apply to ``request``.

    Wagtail renders a page preview through the whole middleware stack with a dummy request
    whose path is the page's own; that response is shown inside the admin, so it gets the
    admin's policy (the outer admin response keeps the header its inner render set).
    """
    in_admin = request.path_info.startswith(settings.HUNAR_ADMIN_PATH_PREFIX)
    if in_admin or getattr(request, "is_dummy", False):
        return settings.HUNAR_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin's policy for admin paths."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        # A per-view policy (django-csp's decorators) wins; otherwise pick by path.
        if not report_only and parts.config is None:
            parts.config = default_config(policy_directives_for(request))
        return parts
