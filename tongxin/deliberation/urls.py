"""Deliberation's pages (``docs/deliberation.md``)."""

from django.urls import path

from tongxin.deliberation import views

urlpatterns = [
    # 四议两公开
    path("matters/", views.matter_list, name="deliberation-matters"),
    path("matters/new/", views.matter_new, name="deliberation-matter-new"),
    path("matters/<int:pk>/", views.matter_detail, name="deliberation-matter"),
    # 两公开: the public page the notice board links to (the token is the capability).
    path("m/<str:token>/", views.matter_public, name="deliberation-public"),
    # 提议—审议—合议—决议
    path("consultations/", views.consultation_list, name="deliberation-consultations"),
    path("consultations/new/", views.consultation_new, name="deliberation-consultation-new"),
    path("consultations/<int:pk>/", views.consultation_detail, name="deliberation-consultation"),
    path("c/<str:token>/", views.consultation_public, name="deliberation-consultation-public"),
    path("raise/<str:token>/", views.raise_at_door, name="deliberation-raise"),
    path("near-me/", views.mine, name="deliberation-mine"),
]
