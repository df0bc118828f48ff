from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from tongxin.core import notice_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("display/", views.toggle_display, name="toggle-display"),
    path("healthz", views.healthz, name="healthz"),
    path("exports/<slug:code>/<slug:place_code>/", views.export_download, name="export-download"),
    path("inbox/", notice_views.inbox, name="inbox"),
    path("inbox/<int:pk>/", notice_views.inbox_open, name="inbox-open"),
    path("inbox/read-all/", notice_views.inbox_read_all, name="inbox-read-all"),
    path("inbox/settings/", notice_views.notice_preferences, name="notice-preferences"),
    path("notices/new/<slug:code>/", notice_views.place_notice_new, name="place-notice-new"),
    path("notices/<int:pk>/withdraw/", notice_views.place_notice_withdraw, name="place-notice-withdraw"),
    # Browsers ask for /favicon.ico on pages (admin, API docs) that do not name an icon.
    path("favicon.ico", RedirectView.as_view(url=static("tongxin/favicon.svg"), permanent=True), name="favicon"),
]
