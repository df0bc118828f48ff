from django.urls import path

from tongxin.registers import edit_views, import_views, views

urlpatterns = [
    # Reading: the tree browser, households and people.
    path("places/", views.place_index, name="place-index"),
    path("places/<slug:code>/", views.place_detail, name="place-detail"),
    path("places/<slug:code>/households/", views.place_households, name="place-households"),
    path("places/<slug:code>/named-people/", views.named_people, name="named-people"),
    path("places/<slug:code>/rentals/", views.rental_register, name="rental-register"),
    path("households/<int:pk>/", views.household_detail, name="household-detail"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person-reveal"),
    # Upkeep by staff (core.manage_register).
    path("places/<slug:code>/households/new/", edit_views.household_new, name="household-new"),
    path("places/<slug:code>/coverage/", edit_views.area_coverage, name="area-coverage"),
    path("households/<int:pk>/members/new/", edit_views.member_new, name="member-new"),
    path("households/<int:pk>/members/<int:member_pk>/end/", edit_views.member_end, name="member-end"),
    path("households/<int:pk>/move/", edit_views.household_move, name="household-move"),
    path("people/<int:pk>/groups/", edit_views.person_groups, name="person-groups"),
    path("import/", import_views.register_import, name="register-import"),
    path("import/template/", import_views.import_template, name="register-import-template"),
]
