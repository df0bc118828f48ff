"""Volunteering's pages, by part (``docs/volunteering.md``)."""

from django.urls import path

from tongxin.volunteering.views import home, registration

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
from tongxin.volunteering.views import claims as claim_views  # noqa: E402

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
urlpatterns += []

# --- the three links ---------------------------------------------------------------------
from tongxin.volunteering.views import links as links_views  # noqa: E402

urlpatterns += [
    path("coverage/", links_views.coverage, name="volunteering-coverage"),
    path("coverage/link/", links_views.link, name="volunteering-coverage-link"),
    path("coverage/links/<int:pk>/end/", links_views.unlink, name="volunteering-coverage-unlink"),
]
