from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from .models import CoursePage, LessonPage

SEARCH_QUERY_MAX_LENGTH = 100
SEARCH_RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    """Site search over live lessons and courses in the current language."""
    query = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    results = None
    if query:
        pages = (
            Page.objects.live()
            .public()
            .type(CoursePage, LessonPage)
            .filter(locale=Locale.get_active())
            .specific()
        )
        results = Paginator(pages.search(query), SEARCH_RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "courses/search.html",
        {"query": query, "results": results, "max_length": SEARCH_QUERY_MAX_LENGTH},
    )
