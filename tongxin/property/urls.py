"""Property accounts' pages (``docs/property.md``)."""

from django.urls import path

from tongxin.property import views

urlpatterns = [
    path("", views.home, name="property-home"),
    path("c/<slug:code>/", views.compound, name="property-compound"),
    path("c/<slug:code>/standards/new/", views.standard_new, name="property-standard-new"),
    path("c/<slug:code>/bills/", views.bill_list, name="property-bills"),
    path("bills/<int:pk>/pay/", views.bill_pay, name="property-bill-pay"),
    path("income/<int:pk>/edit/", views.income_edit, name="property-income-edit"),
    path("mine/", views.my_bills, name="property-my-bills"),
    # Public, no login: a compound's fee standards, published income and collection rates;
    # a published quarter's income of the common parts.
    path("p/<slug:code>/", views.public_compound, name="property-public"),
    path("income/<int:pk>/", views.income_public, name="property-income"),
]
