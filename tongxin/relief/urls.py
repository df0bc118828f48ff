from django.urls import path

from tongxin.relief import views

urlpatterns = [
    path("", views.distribution_list, name="relief-list"),
    path("<int:pk>/", views.distribution_detail, name="relief-detail"),
    path("<int:pk>/list/", views.eligible_list, name="relief-eligible"),
    path("hand-over/<int:pk>/", views.hand_over, name="relief-hand-over"),
    path("public/<str:token>/", views.public_list, name="relief-public"),
]
