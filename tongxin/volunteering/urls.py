"""Volunteering's pages, by part (``docs/volunteering.md``)."""

from django.urls import path  # noqa: F401

urlpatterns = []

# --- registration: units, members, posts, teams ------------------------------------------
urlpatterns += []

# --- claims: tasks and micro-wishes ------------------------------------------------------
urlpatterns += []

# --- activities and the ledger -----------------------------------------------------------
urlpatterns += []

# --- the three links ---------------------------------------------------------------------
urlpatterns += []
