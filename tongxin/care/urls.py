"""Care's pages, by part (``docs/care.md``)."""

from django.urls import path

from tongxin.care.views import campaigns as campaign_views
from tongxin.care.views import register
from tongxin.care.views import visits as visit_views

urlpatterns = []

# --- the register and pairing ------------------------------------------------------------
urlpatterns += [
    path("subjects/", register.subjects, name="care-subjects"),
    path("subjects/new/", register.subject_new, name="care-subject-new"),
    path("subjects/<int:pk>/", register.subject, name="care-subject"),
    path("mine/", register.my_subjects, name="care-my-subjects"),
]

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
