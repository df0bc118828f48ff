"""Core screens: home, login/logout, display preferences, health check."""

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from tongxin.core.forms import LoginForm
from tongxin.core.registry import mechanisms
from tongxin.core.workbooks import XLSX

DISPLAY_COOKIE = "tongxin_display"
DISPLAY_FLAGS = ("large", "contrast")


def display_preferences(request) -> set[str]:
    raw = request.COOKIES.get(DISPLAY_COOKIE, "")
    return {flag for flag in raw.split(",") if flag in DISPLAY_FLAGS}


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@require_POST
def toggle_display(request):
    """Turn large text or high contrast on or off (a cookie, so it works before login)."""
    flags = display_preferences(request)
    flag = request.POST.get("flag")
    if flag in DISPLAY_FLAGS:
        flags ^= {flag}
    response = HttpResponseRedirect(_safe_next(request, reverse("home")))
    response.set_cookie(DISPLAY_COOKIE, ",".join(sorted(flags)), max_age=365 * 24 * 3600, samesite="Lax")
    return response


def login_view(request):
    if request.user.is_authenticated:
        return HttpResponseRedirect(_safe_next(request, reverse("home")))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return HttpResponseRedirect(_safe_next(request, reverse("home")))
    status = 200 if request.method == "GET" or form.is_valid() else 400
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    return render(request, "core/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    return HttpResponseRedirect(reverse("login"))


@login_required
def home(request):
    stats = []
    for config in mechanisms():
        provider = config.resolve("dashboard_stats")
        if provider:
            stats.extend(provider(request.user))
    return render(request, "core/home.html", {"stats": stats})


def healthz(request):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def export_download(request, code, place_code):
    """Any mechanism's declared export, for one place the user may see (404 otherwise)."""
    from tongxin.core import access
    from tongxin.core.models import Place
    from tongxin.core.registry import exports

    export = next((e for e in exports() if e.code == code), None)
    place = Place.objects.filter(code=place_code).first()
    if export is None or place is None or not access.can_see_path(request.user, export.permission, place.path):
        raise Http404("no such export")
    filename, content = import_string(export.builder)(request.user, place)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
