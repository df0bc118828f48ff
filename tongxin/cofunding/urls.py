"""Co-funded projects' pages (``docs/cofunding.md``)."""

from django.urls import path

from tongxin.cofunding import views

urlpatterns = [
    path("", views.project_list, name="cofunding-projects"),
    path("new/", views.project_new, name="cofunding-project-new"),
    path("<int:pk>/", views.project_detail, name="cofunding-project"),
    path("mine/", views.mine, name="cofunding-mine"),
    # Public, no login: linked from the notice board; no names, no household's amount.
    path("p/<int:pk>/", views.public, name="cofunding-public"),
]
