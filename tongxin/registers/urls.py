from django.urls import path

from tongxin.registers import views

urlpatterns = [
    path("places/", views.place_index, name="place-index"),
    path("places/<slug:code>/", views.place_detail, name="place-detail"),
    path("places/<slug:code>/households/", views.place_households, name="place-households"),
    path("households/<int:pk>/", views.household_detail, name="household-detail"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person-reveal"),
]
