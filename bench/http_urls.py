"""Tongxin's URLs plus ``/bench/insert/``: the least a request can do that writes a row."""

import uuid

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from tongxin.core.models import SubmittedForm


@csrf_exempt
def bare_insert(request):
    if request.method == "POST":
        SubmittedForm.objects.create(key=uuid.uuid4().hex)
    return HttpResponse("ok")


urlpatterns = [path("bench/insert/", bare_insert), path("", include("tongxin.urls"))]
