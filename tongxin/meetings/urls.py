"""Meetings' pages (``docs/meetings.md``)."""

from django.urls import path

from tongxin.meetings.views import actions, meetings, series

urlpatterns = [
    path("", series.series_list, name="meetings-series"),
    path("series/<int:pk>/", series.series_detail, name="meetings-series-detail"),
    path("new/", series.meeting_new, name="meetings-meeting-new"),
    path("<int:pk>/", meetings.meeting_detail, name="meetings-meeting"),
    path("<int:pk>/files/<int:file_pk>/", meetings.meeting_file, name="meetings-file"),
    path("public/<str:token>/", meetings.public_page, name="meetings-public"),
    path("overdue/", actions.overdue, name="meetings-overdue"),
    path("my-actions/", actions.my_actions, name="meetings-my-actions"),
    path("actions/<int:pk>/", actions.action_detail, name="meetings-action"),
]
