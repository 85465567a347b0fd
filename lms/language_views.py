"""The language switcher's links go through here, so that an explicit switch sticks.

``/language/<code>/?next=<path>`` stores ``code`` as the signed-in learner's preferred language
(:func:`lms.languages.learner_language_set`), sets Django's language cookie and redirects to
``next`` (the same page in that language, computed by the switcher). The switcher's links are
the same for every visitor (the header is cached per page), hence a GET. A link on another site
may not change a learner's preference: a cross-site request (``Sec-Fetch-Site``) only redirects.
"""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import languages


@never_cache
@require_GET
def language_switch(request, language):
    if language not in languages.LANGUAGE_CODES:
        raise Http404
    target = request.GET.get("next", "")
    safe = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not safe:
        target = "/" if language == settings.LANGUAGE_CODE else f"/{language}/"
    if request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none"):
        languages.learner_language_set(user=request.user, language=language)
    response = HttpResponseRedirect(target)
    languages.language_cookie_set(response, language)
    return response
