"""Evaluation's pages (``docs/evaluation.md``)."""

from django.urls import path

from tongxin.evaluation.views import awards, campaigns

urlpatterns = [
    path("", campaigns.campaign_list, name="evaluation-campaigns"),
    path("new/", campaigns.campaign_new, name="evaluation-campaign-new"),
    path("results/", campaigns.results, name="evaluation-results"),
    path("<int:pk>/", campaigns.campaign_detail, name="evaluation-campaign"),
    path("<int:pk>/answer/", campaigns.answer, name="evaluation-answer"),
]

# --- awards ------------------------------------------------------------------------------
urlpatterns += [
    path("awards/", awards.round_list, name="evaluation-awards"),
    path("awards/<int:pk>/", awards.round_detail, name="evaluation-award-round"),
    path("awards/winners/<str:token>/", awards.winners, name="evaluation-award-winners"),
]
