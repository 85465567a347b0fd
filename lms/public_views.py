"""Public pages about the programme: About and contact, the list of centers, the colours.

Nothing here names a person: centers are places, the contact is the programme's office.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .programme import centers_public_list, programme_get


@require_safe
def about(request):
    return render(request, "lms/about.html", {"programme": programme_get()})


@require_safe
def centers_public(request):
    return render(
        request,
        "lms/centers.html",
        {"programme": programme_get(), "centers": list(centers_public_list())},
    )


@require_safe
@cache_control(public=True, max_age=300)
def programme_css(request):
    """The programme's colours as CSS custom properties (a file, so no inline style is needed
    under the Content-Security-Policy); the colours are validated as #RRGGBB when saved."""
    programme = programme_get()
    css = (
        f":root {{ --accent: {programme.primary_colour}; "
        f"--accent-2: {programme.accent_colour}; }}\n"
    )
    return HttpResponse(css, content_type="text/css; charset=utf-8")
