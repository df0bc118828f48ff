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
from tongxin.volunteering.views import links as links_views  # noqa: E402

urlpatterns += [
    path("coverage/", links_views.coverage, name="volunteering-coverage"),
    path("coverage/link/", links_views.link, name="volunteering-coverage-link"),
    path("coverage/links/<int:pk>/end/", links_views.unlink, name="volunteering-coverage-unlink"),
]
