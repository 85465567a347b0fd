"""The "Certificates" admin menu: cohort batches and issued certificates for center managers,
certificate templates (a snippet) for programme admins."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms.permissions import centers_managed_by, is_programme_admin

from . import admin_views
from .models import CertificateTemplate


class ProgrammeAdminPolicy(ModelPermissionPolicy):
    """Only programme admins (and superusers) may see or change certificate templates."""

    def user_has_permission(self, user, action):
        return is_programme_admin(user)

    def user_has_any_permission(self, user, actions):
        return is_programme_admin(user)


register_permission_policy(CertificateTemplate, ProgrammeAdminPolicy(CertificateTemplate))


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    add_to_admin_menu = False
    list_display = ["name", "language", "layout", "signatory_name", "is_default"]
    list_filter = ["language", "layout", "is_default"]
    search_fields = ["name", "signatory_name"]


register_snippet(CertificateTemplateViewSet)


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return centers_managed_by(request.user).exists()


class ProgrammeAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_programme_admin(request.user)


class CertificatesMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return is_programme_admin(request.user) or centers_managed_by(request.user).exists()


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    urls = (admin_views.urlpatterns, admin_views.app_name)
    return [path("certificates/", include(urls, namespace=admin_views.app_name))]


certificates_menu = Menu(
    register_hook_name="register_certificates_menu_item", construct_hook_name=None
)


@hooks.register("register_certificates_menu_item")
def register_cohort_batches_item():
    return ManagerMenuItem(
        _("Issue for a cohort"), reverse("certificates_admin:cohorts"), icon_name="group", order=10
    )


@hooks.register("register_certificates_menu_item")
def register_issued_item():
    return ManagerMenuItem(
        _("Issued certificates"),
        reverse("certificates_admin:certificates"),
        icon_name="list-ul",
        order=20,
    )


@hooks.register("register_certificates_menu_item")
def register_templates_item():
    return ProgrammeAdminMenuItem(
        _("Templates"),
        reverse("wagtailsnippets_certificates_certificatetemplate:list"),
        icon_name="doc-full",
        order=30,
    )


@hooks.register("register_admin_menu_item")
def register_certificates_menu():
    return CertificatesMenuItem(
        _("Certificates"), certificates_menu, name="certificates", icon_name="doc-full", order=360
    )
