from django.urls import path

from tongxin.indicators import views

urlpatterns = [
    path("", views.dashboard, name="indicators-dashboard"),
    path("screen/", views.screen, name="indicators-screen"),
    path("export/", views.export, name="indicators-export"),
]
