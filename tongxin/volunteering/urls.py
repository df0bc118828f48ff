"""Volunteering's pages, by part (``docs/volunteering.md``)."""

from django.urls import path

from tongxin.volunteering.views import activities as activity_views
from tongxin.volunteering.views import claims as claim_views
from tongxin.volunteering.views import home, registration
from tongxin.volunteering.views import ledger as ledger_views
from tongxin.volunteering.views import links as links_views

urlpatterns = [path("", home.staff_home, name="volunteering-home")]

# --- registration: units, members, posts, teams ------------------------------------------
urlpatterns += [
    path("join/<str:token>/", registration.register, name="volunteering-register"),
    path("me/", registration.me, name="volunteering-me"),
    path("enrolments/", registration.enrolments, name="volunteering-enrolments"),
    path("enrolments/<int:pk>/", registration.enrolment_act, name="volunteering-enrolment"),
    path("units/", registration.units, name="volunteering-units"),
    path("units/<int:pk>/", registration.unit_registration, name="volunteering-unit-registration"),
    path("posts/", registration.posts, name="volunteering-posts"),
    path("teams/", registration.teams, name="volunteering-teams"),
]

# --- claims: tasks and micro-wishes ------------------------------------------------------

urlpatterns += [
    path("tasks/", claim_views.task_list, name="volunteering-tasks"),
    path("tasks/new/", claim_views.task_new, name="volunteering-task-new"),
    path("tasks/<int:pk>/", claim_views.task_detail, name="volunteering-task"),
    path("tasks/<int:pk>/claim/", claim_views.task_claim, name="volunteering-task-claim"),
    path("tasks/<int:pk>/release/", claim_views.task_release, name="volunteering-task-release"),
    path("tasks/<int:pk>/complete/", claim_views.task_complete, name="volunteering-task-complete"),
    path("tasks/<int:pk>/confirm/", claim_views.task_confirm, name="volunteering-task-confirm"),
    path("tasks/<int:pk>/return/", claim_views.task_return, name="volunteering-task-return"),
    path("tasks/<int:pk>/withdraw/", claim_views.task_withdraw, name="volunteering-task-withdraw"),
    path("tasks/<int:pk>/reveal/", claim_views.task_reveal, name="volunteering-task-reveal"),
    path("tasks/<int:pk>/photos/<int:photo_pk>/", claim_views.task_photo, name="volunteering-task-photo"),
    # The resident, no account: the demand's tracking code is the capability.
    path("wish/<str:code>/", claim_views.wish_page, name="volunteering-wish"),
]

# --- activities and the ledger -----------------------------------------------------------

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

urlpatterns += [
    path("coverage/", links_views.coverage, name="volunteering-coverage"),
    path("coverage/link/", links_views.link, name="volunteering-coverage-link"),
    path("coverage/links/<int:pk>/end/", links_views.unlink, name="volunteering-coverage-unlink"),
]
