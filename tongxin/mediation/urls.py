"""Mediation's pages (``docs/mediation.md``)."""

from django.urls import path

from tongxin.mediation.views import cases, stats

urlpatterns = [
    path("cases/", cases.case_list, name="mediation-cases"),
    path("cases/new/", cases.case_new, name="mediation-case-new"),
    path("cases/<int:pk>/", cases.case_detail, name="mediation-case"),
    path("cases/<int:pk>/agreement.pdf", cases.agreement_pdf, name="mediation-agreement-pdf"),
    path("cases/<int:pk>/scans/<int:signature_pk>/", cases.signature_scan, name="mediation-signature-scan"),
    path("mine/", cases.my_cases, name="mediation-mine"),
    path("stats/", stats.stats, name="mediation-stats"),
]
