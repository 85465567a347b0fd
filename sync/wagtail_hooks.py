from django.conf import settings
from django.urls import include, path, reverse_lazy
from wagtail import hooks

from . import admin_views


@hooks.register("register_admin_urls")
def register_sync_urls():
    urls = (admin_views.urlpatterns, admin_views.app_name)
    return [path("nodes/", include(urls, namespace=admin_views.app_name))]


@hooks.register("register_admin_menu_item")
def register_nodes_menu_item():
    return admin_views.NodesMenuItem(
        admin_views.MENU_LABEL,
        reverse_lazy("sync_admin:index"),
        name="lab-nodes",
        icon_name="site",
        order=950,
    )


@hooks.register("construct_homepage_panels")
def add_node_link_panel(request, panels):
    if settings.HUNAR_NODE:
        panels.insert(0, admin_views.NodeLinkPanel())
