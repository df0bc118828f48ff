from django.urls import path

from tongxin.organisations import views

urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("<slug:code>/", views.organisation_detail, name="organisation-detail"),
]
