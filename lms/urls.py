from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses import views as courses_views

from . import language_views, public_views, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("programme.css", public_views.programme_css, name="programme_css"),
    path("language/<str:language>/", language_views.language_switch, name="language_switch"),
    # Not language-prefixed: /.well-known/hunar-keys.json and the JSON API.
    path("", include("certificates.api_urls")),
    path("api/sync/v1/", include("sync.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# English at /, Urdu at /ur/. Wagtail's page serving comes last: it catches every other path.
urlpatterns += i18n_patterns(
    path("", include("certificates.urls")),
    path("", include("reports.urls")),
    path("accounts/", include("lms.account_urls")),
    path("", include("lms.public_urls")),
    path("learning/", include("assessments.urls")),
    path("learning/", include("courses.urls")),
    path("search/", courses_views.search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# A database outage answers 503 with Retry-After and a page that says so (lms.outages).
handler500 = "lms.outages.handler500"

# A lab node (lms.settings.node) serves its own media on the LAN, without DEBUG.
if getattr(settings, "HUNAR_NODE_SERVE_MEDIA", False):
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns.insert(
        0, re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
