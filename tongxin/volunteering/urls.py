"""Volunteering's pages, by part (``docs/volunteering.md``)."""

from django.urls import path  # noqa: F401

urlpatterns = []

# --- registration: units, members, posts, teams ------------------------------------------
urlpatterns += []

# --- claims: tasks and micro-wishes ------------------------------------------------------
urlpatterns += []

# --- activities and the ledger -----------------------------------------------------------
from tongxin.volunteering.views import activities as activity_views  # noqa: E402
from tongxin.volunteering.views import ledger as ledger_views  # noqa: E402

urlpatterns += [
    path("activities/", activity_views.activity_list, name="volunteering-activities"),
    path("activities/new/", activity_views.activity_new, name="volunteering-activity-new"),
    path("activities/<int:pk>/", activity_views.activity_detail, name="volunteering-activity"),
    path("activities/<int:pk>/cancel/", activity_views.activity_cancel, name="volunteering-activity-cancel"),
    path("activities/<int:pk>/poster/", activity_views.activity_poster, name="volunteering-activity-poster"),
    path("sessions/<int:pk>/", activity_views.session_detail, name="volunteering-session"),
    path("sessions/<int:pk>/cancel/", activity_views.session_cancel, name="volunteering-session-cancel"),
    path("sessions/<int:pk>/sign-up/", activity_views.sign_up, name="volunteering-sign-up"),
    path("sessions/<int:pk>/withdraw/", activity_views.withdraw, name="volunteering-withdraw"),
    path("attendances/<int:pk>/adjust/", activity_views.attendance_adjust, name="volunteering-attendance-adjust"),
    path("a/<str:token>/", activity_views.checkin, name="volunteering-checkin"),
    path("ledger/", ledger_views.ledger, name="volunteering-ledger"),
    path("ledger/export/", ledger_views.ledger_export, name="volunteering-ledger-export"),
    path("ledger/ranking/", ledger_views.ranking_publish, name="volunteering-ranking-publish"),
    path("ledger/mine/", ledger_views.my_ledger, name="volunteering-my-ledger"),
    path("ledger/mine/certificate/", ledger_views.my_certificate, name="volunteering-certificate"),
    path("ranking/<int:pk>/", ledger_views.ranking_public, name="volunteering-ranking"),
    path("unit/", ledger_views.my_units, name="volunteering-my-units"),
    path("unit/<int:pk>/", ledger_views.unit_view, name="volunteering-unit"),
    path("unit/<int:pk>/export/", ledger_views.unit_export, name="volunteering-unit-export"),
]

# --- the three links ---------------------------------------------------------------------
urlpatterns += []
