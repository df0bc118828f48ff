from django.urls import path

from tongxin.rosters import views

urlpatterns = [
    path("", views.home, name="rosters-list"),
    path("<int:pk>/", views.roster_detail, name="rosters-roster"),
    path("shifts/<int:pk>/", views.shift_action, name="rosters-shift"),
    path("mine/", views.mine, name="rosters-mine"),
    path("routes/<int:pk>/", views.route_detail, name="rosters-route"),
    path("routes/<int:pk>/qr/", views.route_qr, name="rosters-route-qr"),
    path("rounds/<int:pk>/", views.round_detail, name="rosters-round"),
    path("p/<str:token>/", views.scan, name="rosters-scan"),
    path("coverage/", views.coverage, name="rosters-coverage"),
]
