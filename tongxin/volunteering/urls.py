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
urlpatterns += []

# --- activities and the ledger -----------------------------------------------------------
urlpatterns += []

# --- the three links ---------------------------------------------------------------------
urlpatterns += []
