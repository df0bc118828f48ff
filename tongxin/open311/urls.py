from django.urls import re_path

from tongxin.open311 import views

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="open311-discovery"),
    re_path(r"^services" + FORMAT, views.services, name="open311-services"),
    re_path(r"^services/(?P<code>[-\w]+)" + FORMAT, views.service_definition, name="open311-service"),
    re_path(r"^requests" + FORMAT, views.requests_, name="open311-requests"),
    re_path(r"^requests/(?P<code>\w+)" + FORMAT, views.request_detail, name="open311-request"),
    re_path(r"^tokens/(?P<token_id>\w+)" + FORMAT, views.token, name="open311-token"),
]
