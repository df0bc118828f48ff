"""Care's pages, by part (``docs/care.md``)."""

from django.urls import path  # noqa: F401

from tongxin.care.views import campaigns as campaign_views
from tongxin.care.views import visits as visit_views

urlpatterns = []

# --- the register and pairing ------------------------------------------------------------
urlpatterns += []

# --- visits and campaigns ----------------------------------------------------------------
urlpatterns += [
    path("subjects/<int:pk>/visit/", visit_views.visit_new, name="care-visit-new"),
    path("subjects/<int:pk>/visit-photos/<int:photo_pk>/", visit_views.visit_photo, name="care-visit-photo"),
    path("overdue/", visit_views.overdue, name="care-overdue"),
    path("campaigns/", campaign_views.campaign_list, name="care-campaigns"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="care-campaign"),
    path("campaigns/<int:pk>/households/<int:household_pk>/", campaign_views.campaign_household,
         name="care-campaign-household"),
]
