from django.urls import path

from tongxin.emergencies import views

urlpatterns = [
    path("", views.notice_list, name="emergencies-list"),
    path("<int:pk>/", views.board, name="emergencies-board"),
    path("<int:pk>/blocks/<slug:code>/", views.block, name="emergencies-block"),
    path("<int:pk>/tick/", views.tick, name="emergencies-tick"),
    path("<int:pk>/help/<int:reach_pk>/", views.handle_help, name="emergencies-help-handled"),
    path("<int:pk>/close/", views.close, name="emergencies-close"),
    path("<int:pk>/report/", views.report, name="emergencies-report"),
    # Public, no login: each household's own link (signed).
    path("r/<int:notice_pk>/<int:household_pk>/<str:signature>/", views.confirm, name="emergencies-confirm"),
]
