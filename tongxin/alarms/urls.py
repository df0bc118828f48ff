"""The alarms' pages (``docs/care.md``, "The one-key emergency call")."""

from django.urls import path

from tongxin.alarms.views import alarms, devices

urlpatterns = [
    path("", alarms.duty, name="alarms-duty"),
    path("history/", alarms.history, name="alarms-history"),
    path("<int:pk>/", alarms.alarm_detail, name="alarms-alarm"),
    path("b/<str:token>/", alarms.button, name="alarms-button"),
    path("subjects/<int:pk>/devices/", devices.devices, name="alarms-devices"),
]
