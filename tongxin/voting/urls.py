"""Voting's pages (``docs/voting.md``): staff pages, the voter's ballot page, public results."""

from django.urls import path

from tongxin.voting.views import ballots, decisions, public, register

urlpatterns = [
    path("", decisions.decision_list, name="voting-decisions"),
    path("new/", decisions.decision_new, name="voting-decision-new"),
    path("<int:pk>/", decisions.decision_detail, name="voting-decision"),
    path("<int:pk>/open/", decisions.decision_open, name="voting-decision-open"),
    path("<int:pk>/close/", decisions.decision_close, name="voting-decision-close"),
    path("<int:pk>/paper/", ballots.paper_entry, name="voting-paper"),
    path("<int:pk>/letters/", decisions.decision_letters, name="voting-letters"),
    path("units/", register.unit_list, name="voting-units"),
    path("units/<int:pk>/", register.unit_detail, name="voting-unit"),
    # The owner, no account: the personal link is the capability.
    path("v/<str:token>/", ballots.ballot_page, name="voting-ballot"),
    # Public, no login: the result with its arithmetic, the ballot list, the receipt check.
    path("results/<int:pk>/", public.result, name="voting-result"),
    path("results/<int:pk>/ballots/", public.ballot_list, name="voting-ballot-list"),
    path("results/<int:pk>/receipt/", public.receipt, name="voting-receipt"),
]
