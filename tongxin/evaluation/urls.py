"""Evaluation's pages (``docs/evaluation.md``)."""

from django.urls import path

from tongxin.evaluation.views import campaigns

urlpatterns = [
    path("", campaigns.campaign_list, name="evaluation-campaigns"),
    path("new/", campaigns.campaign_new, name="evaluation-campaign-new"),
    path("<int:pk>/", campaigns.campaign_detail, name="evaluation-campaign"),
    path("<int:pk>/answer/", campaigns.answer, name="evaluation-answer"),
]
