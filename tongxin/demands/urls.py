from django.urls import path

from tongxin.demands import views

urlpatterns = [
    # Residents: no account.
    path("q/<str:token>/", views.qr_page, name="qr-page"),
    path("q/<str:token>/similar/", views.similar, name="qr-similar"),
    path("q/<str:token>/me-too/<str:code>/", views.me_too, name="qr-me-too"),
    path("t/<str:code>/photos/<int:photo_pk>/", views.resident_photo, name="demand-photo-resident"),
    path("t/", views.track_lookup, name="demand-track-lookup"),
    path("t/<str:code>/", views.track, name="demand-track"),
    path("t/<str:code>/reported/", views.reported, name="demand-reported"),
    # Staff.
    path("demands/", views.workbench, name="demand-workbench"),
    path("demands/bulk/", views.bulk_act, name="demand-bulk"),
    path("demands/hand-over/", views.hand_over, name="demand-hand-over"),
    path("demands/<int:pk>/", views.demand_detail, name="demand-detail"),
    path("demands/<int:pk>/act/", views.demand_act, name="demand-act"),
    path("demands/<int:pk>/merge/", views.demand_merge, name="demand-merge"),
    path("demands/<int:pk>/photos/<int:photo_pk>/", views.staff_photo, name="demand-photo"),
    path("demands/new/<slug:code>/", views.record_on_behalf, name="demand-on-behalf"),
    path("demands/posters/<slug:code>/", views.door_posters, name="demand-posters"),
]
