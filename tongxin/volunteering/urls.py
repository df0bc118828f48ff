"""Volunteering's pages, by part (``docs/volunteering.md``)."""

from django.urls import path

from tongxin.volunteering.views import home

urlpatterns = [path("", home.staff_home, name="volunteering-home")]

# --- registration: units, members, posts, teams ------------------------------------------
urlpatterns += []

# --- claims: tasks and micro-wishes ------------------------------------------------------
urlpatterns += []

# --- activities and the ledger -----------------------------------------------------------
urlpatterns += []

# --- the three links ---------------------------------------------------------------------
urlpatterns += []
