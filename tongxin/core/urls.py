from django.urls import path

from tongxin.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("display/", views.toggle_display, name="toggle-display"),
    path("healthz", views.healthz, name="healthz"),
]
