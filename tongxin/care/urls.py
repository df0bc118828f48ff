"""Care's pages, by part (``docs/care.md``)."""

from django.urls import path

from tongxin.care.views import register

urlpatterns = []

# --- the register and pairing ------------------------------------------------------------
urlpatterns += [
    path("subjects/", register.subjects, name="care-subjects"),
    path("subjects/new/", register.subject_new, name="care-subject-new"),
    path("subjects/<int:pk>/", register.subject, name="care-subject"),
    path("mine/", register.my_subjects, name="care-my-subjects"),
]

# --- visits and campaigns ----------------------------------------------------------------
urlpatterns += []
