"""Open311 GeoReport v2 endpoints (``docs/open311.md``). Public reads need no key; the
catalogue is the demand categories, the service code a category's code."""

import functools

from django.conf import settings
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from tongxin.core.throttle import client_ip
from tongxin.demands.models import Category, ErrandItem
from tongxin.open311 import requests as service_requests
from tongxin.open311.formats import errors, render

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-25T00:00:00Z"  # when the endpoints last changed in what they accept or give


def open311(*methods: str):
    """An Open311 endpoint: ``Problem`` raised inside becomes the specification's error list,
    and so does any method but ``methods`` (405). No CSRF check: these views read no browser
    session; callers are other systems, with an API key where it matters."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request, *args, fmt, **kwargs):
            if request.method not in allowed:
                return errors(fmt, 405, f"{request.method} is not allowed here; {' or '.join(methods)} only")
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except service_requests.Problem as problem:
                return errors(fmt, problem.status, problem.description)
        return wrapped
    return decorate


def _group(category: Category) -> str:
    return category.get_tier_display()


@open311("GET")
def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("open311-discovery", args=["json"])).rsplit("/", 1)[0] + "/"
    return render({
        "changeset": CHANGESET,
        "contact": getattr(settings, "TONGXIN_CONTACT", "") or "Tongxin (同心) community platform",
        "key_service": "API keys are issued by the site's administrators (tongxin apikey create)",
        "endpoints": [{
            "specification": SPECIFICATION, "url": base, "changeset": CHANGESET, "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }, fmt, "discovery")


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name_en,
        "metadata": category.code == service_requests.ERRAND,
        "type": "realtime",
        "keywords": ", ".join(k for k in (category.name, category.name_en) if k),
        "group": _group(category),
    }


def _jurisdiction(request) -> None:
    service_requests.jurisdiction(request.GET.get("jurisdiction_id", "").strip())  # an unknown one: a 404


@open311("GET")
def services(request, fmt):
    _jurisdiction(request)
    return render([_service(c) for c in Category.objects.filter(active=True)], fmt, "services")


@open311("GET")
def service_definition(request, code, fmt):
    _jurisdiction(request)
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise service_requests.Problem(404, f"service_code not found: {code}")
    attributes = []
    if category.code == service_requests.ERRAND:
        attributes.append({
            "variable": True, "code": "errand", "datatype": "singlevaluelist", "required": True,
            "datatype_description": "", "order": 1,
            "description": "代办事项 / The service to handle on the resident's behalf",
            "values": [{"key": item.code, "name": f"{item.name} / {item.name_en}"}
                       for item in ErrandItem.objects.filter(active=True)],
        })
    return render({"service_code": category.code, "attributes": attributes}, fmt, "service_definition")


@open311("GET", "POST")
def requests_(request, fmt):
    """``GET requests`` (search) and ``POST requests`` (file a demand)."""
    if request.method == "POST":
        demand, kept = service_requests.file(request.POST, client_ip(request))
        return render([{"service_request_id": demand.tracking_code, "service_notice": "",
                        "account_id": kept.account_id}], fmt, "service_requests")
    key = service_requests.authorise(request.GET.get("api_key", ""))
    return render([service_requests.as_record(d) for d in service_requests.search(key, request.GET)],
                  fmt, "service_requests")


@open311("GET")
def request_detail(request, code, fmt):
    key = service_requests.authorise(request.GET.get("api_key", ""))
    demand = service_requests.scoped(key).filter(tracking_code=code.upper()).first()
    if demand is None:
        raise service_requests.Problem(404, f"service_request_id not found: {code}")
    return render([service_requests.as_record(demand)], fmt, "service_requests")


@open311("GET")
def token(request, token_id, fmt):
    """Tongxin files in real time, so a token is the service request's own id."""
    key = service_requests.authorise(request.GET.get("api_key", ""))
    if not service_requests.scoped(key).filter(tracking_code=token_id.upper()).exists():
        raise service_requests.Problem(404, f"token not found: {token_id}")
    return render([{"service_request_id": token_id.upper(), "token": token_id}], fmt, "service_requests")
