"""Rules on the wall's pages (``docs/bylaws.md``)."""

from django.urls import path

from tongxin.bylaws import views

urlpatterns = [
    path("", views.bylaw_list, name="bylaws-list"),
    path("new/", views.bylaw_new, name="bylaws-new"),
    path("<int:pk>/", views.bylaw_detail, name="bylaws-bylaw"),
    # Public, no login: the notice board and the doors' QR pages link here.
    path("p/<str:code>/", views.public_place, name="bylaws-public"),
    path("r/<int:pk>/", views.public_rule, name="bylaws-public-rule"),
]
