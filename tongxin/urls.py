"""Mounts the core, the API, and every mechanism app's URLs (from the registry)."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tongxin.core.api import TokenView, build_router
from tongxin.core.registry import mechanisms

urlpatterns = [
    path("", include("tongxin.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    # Namespaced: routers name their routes "<basename>-detail", which would otherwise
    # clash with the screens' own names ("place-detail").
    path("api/v1/", include((build_router().urls, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
urlpatterns += [
    path(config.url_prefix, include(f"{config.name}.urls"))
    for config in mechanisms()
    if config.url_prefix is not None
]
