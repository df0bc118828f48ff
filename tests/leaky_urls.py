"""A URLconf with one deliberately unscoped view, to show the scope walker catches it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from tongxin.core.models import Person
from tongxin.urls import urlpatterns as real_urlpatterns


@login_required
def everyone(request):
    return HttpResponse(", ".join(Person.objects.values_list("name", flat=True)))


urlpatterns = [*real_urlpatterns, path("leak/", everyone, name="leak")]
