from django.urls import path

from tongxin.venues import views

urlpatterns = [
    path("", views.venue_list, name="venues-list"),
    path("<int:pk>/", views.venue_detail, name="venues-venue"),
    path("mine/", views.mine, name="venues-mine"),
    path("awaiting/", views.awaiting, name="venues-awaiting"),
    path("bookings/<int:pk>/decide/", views.decide, name="venues-decide"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="venues-cancel"),
    path("usage/", views.usage, name="venues-usage"),
]
