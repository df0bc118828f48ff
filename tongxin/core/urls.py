from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from tongxin.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("display/", views.toggle_display, name="toggle-display"),
    path("healthz", views.healthz, name="healthz"),
    path("exports/<slug:code>/<slug:place_code>/", views.export_download, name="export-download"),
    # Browsers ask for /favicon.ico on pages (admin, API docs) that do not name an icon.
    path("favicon.ico", RedirectView.as_view(url=static("tongxin/favicon.svg"), permanent=True), name="favicon"),
]
