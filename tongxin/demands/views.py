"""Screens: the resident's QR page, report and follow-up (no account), and the staff workbench."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core import access, memo, once, privacy
from tongxin.core.errors import RefusedError
from tongxin.core.models import User
from tongxin.core.pagination import newest_first_page
from tongxin.core.roles import VIEW_TREE
from tongxin.core.throttle import client_ip
from tongxin.core.validators import normalise_phone
from tongxin.demands import merging, posters, rules, selectors, services
from tongxin.demands.apps import DISPATCH
from tongxin.demands.catalogue import ERRAND
from tongxin.demands.models import CannedReply, Category, Demand, DemandPhoto, ErrandItem, QrCode, Source
from tongxin.demands.similar import alike, neighbourhood

PAGE_SIZE = 30
#: Unknown tracking codes one sender may try in the window before lookups pause for them.
LOOKUP_MISSES, LOOKUP_WINDOW = 20, 600
#: A signed cookie (no server session for residents): the tracking codes this browser reported,
#: or whose phone it confirmed, so their details open without asking again.
FOLLOWED, FOLLOWED_SALT, FOLLOWED_DAYS = "tx_followed", "demands.followed", 180


def timeline(demand) -> list[dict]:
    """The steps as the resident and staff read them: by role, never by name."""
    return [
        {"at": e.at, "action": e.get_action_display(), "role": rules.ROLE_LABELS.get(e.actor_role, ""),
         "state": rules.STATES[e.to_state].label if e.to_state != e.from_state else "", "note": e.note}
        for e in demand.events.all()
    ]


def _file_report(request, place, categories, **extra) -> Demand:
    """The report form (``_report_fields.html``) as posted, filed at ``place``; the same for a
    resident at a QR code and for staff recording on a resident's behalf."""
    post = request.POST
    category = next((c for c in categories if str(c.pk) == post.get("category")), None)
    if category is None:
        raise RefusedError("category_missing", "请选择问题类别", "Please choose a category")
    errand = None
    if category.code == ERRAND and post.get("errand", "").isdigit():
        errand = ErrandItem.objects.filter(pk=int(post["errand"]), active=True).first()
    return services.report(
        place, category=category, description=post.get("description", ""), name=post.get("name", ""),
        phone=post.get("phone", ""), key=post.get("form_key", "")[:64], photos=request.FILES.getlist("photos"),
        errand=errand, **extra,
    )


def _form_context(categories) -> dict:
    """What the report form (``_report_fields.html``) needs beside the place."""
    errand_category = next((c for c in categories if c.code == ERRAND), None)
    return {
        "categories": categories, "form_key": once.new_key(),
        "errand_category": errand_category,
        "errands": list(ErrandItem.objects.filter(active=True)) if errand_category else [],
    }


def active_categories() -> list[Category]:
    """The catalogue as the report form shows it; cached for a minute (every scan reads it)."""
    return memo.get_or_set("demands:categories", lambda: list(Category.objects.filter(active=True)), 60)


def qr_code(token: str) -> QrCode | None:
    """A door's code and its place; cached for a minute, since every scan and report reads it
    (a place renamed or retired shows so within the minute)."""
    if not token or len(token) > 32:
        return None
    return memo.get_or_set(f"demands:qr:{token}", lambda: selectors.door(token), 60)


def _door(token: str) -> QrCode:
    qr = qr_code(token)
    if qr is None:
        raise Http404("no such code")
    return qr


def qr_page(request, token):
    """What a scan opens: the place, its notices, and the report form."""
    qr = qr_code(token)
    if qr is None:
        return render(request, "demands/qr_unknown.html", status=404)
    categories = active_categories()
    error = None
    # A grid-point leader or building chief signed in may file for a resident who cannot (代办).
    signed_in = request.user.is_authenticated  # a resident's scan: no role to look up
    helper = request.user if signed_in and access.can_see_path(request.user, VIEW_TREE, qr.place.path) else None
    if request.method == "POST":
        on_behalf = helper is not None and request.POST.get("on_behalf") == "1"
        extra = {"recorded_by": helper, "source": Source.VISIT} if on_behalf else {
            "client": services.client_key(client_ip(request))}
        try:
            demand = _file_report(request, qr.place, categories, **extra)
        except RefusedError as refused:
            error = refused.message
        else:
            _remember(request, demand)  # the reporter's own browser needs no phone confirmation
            return _keep(request, HttpResponseRedirect(reverse("demand-reported", args=[demand.tracking_code])))
    return render(request, "demands/qr_page.html", {
        "qr": qr, "place": qr.place, "error": error, "values": request.POST, "helper": helper,
        **_form_context(categories),
    }, status=400 if error else 200)


def _followed(request) -> list[str]:
    if not hasattr(request, "_followed"):
        raw = request.get_signed_cookie(FOLLOWED, default="", salt=FOLLOWED_SALT, max_age=FOLLOWED_DAYS * 86400)
        request._followed = [code for code in raw.split(",") if code]
    return request._followed


def _remember(request, demand) -> None:
    codes = _followed(request)
    if demand.tracking_code not in codes:
        request._followed = [*codes[-19:], demand.tracking_code]
        request._followed_changed = True


def _keep(request, response):
    """Write the followed codes back, if this request added one."""
    if getattr(request, "_followed_changed", False):
        response.set_signed_cookie(FOLLOWED, ",".join(request._followed), salt=FOLLOWED_SALT,
                                   max_age=FOLLOWED_DAYS * 86400, httponly=True, samesite="Lax",
                                   secure=request.is_secure())
    return response


def reported(request, code):
    demand = get_object_or_404(Demand.objects.select_related("errand"), tracking_code=code)
    return render(request, "demands/reported.html", {"demand": demand})


def _confirmed(request, demand) -> bool:
    return not demand.reporter_phone or demand.tracking_code in _followed(request)


def track(request, code):
    """Follow a demand by its code: every step, by role, names masked; add information; rate."""
    code = (code or "").strip().upper()
    misses = f"demands:track-miss:{services.client_key(client_ip(request))}"
    if cache.get(misses, 0) >= LOOKUP_MISSES:  # guessing codes: slowed down, whatever the next guess
        return render(request, "demands/track_unknown.html", {"too_many": True}, status=429)
    demand = Demand.objects.filter(tracking_code=code).select_related("place", "category", "errand").first()
    if demand is None:
        cache.add(misses, 0, LOOKUP_WINDOW)
        cache.incr(misses)
        return render(request, "demands/track_unknown.html", status=404)
    error = None
    if request.method == "POST":
        try:
            what = request.POST.get("what")
            if what == "confirm":
                phone = normalise_phone(request.POST.get("phone", ""))
                if not services.follows(demand, phone):
                    raise RefusedError("phone_mismatch", "手机号不对", "That is not the phone given with the report")
                _remember(request, demand)
            elif not _confirmed(request, demand):
                raise RefusedError("confirm_first", "请先确认手机号", "Please confirm your phone first")
            elif what == "add":
                services.add_information(demand, request.POST.get("note", ""))
                messages.success(request, _("Your information is added."))
            elif what == "rate":
                services.rate(demand, int(request.POST.get("rating") or 0), request.POST.get("comment", ""))
                messages.success(request, _("Thank you for your rating."))
        except (RefusedError, ValidationError, ValueError) as refused:
            error = getattr(refused, "message", None) or _("Please check what you entered.")
        else:
            return _keep(request, HttpResponseRedirect(reverse("demand-track", args=[demand.tracking_code])))
    return render(request, "demands/track.html", {
        "demand": demand, "timeline": timeline(demand), "confirmed": _confirmed(request, demand), "error": error,
        "ratings": services.RATINGS.items(), "states": rules.STATES, "affected": services.affected(demand),
        "merged": merging.for_resident(demand, timeline),
    }, status=400 if error else 200)


def track_lookup(request):
    code = (request.GET.get("code") or "").strip().upper()
    if code:
        return HttpResponseRedirect(reverse("demand-track", args=[code]))
    return render(request, "demands/track_lookup.html")


# --- Staff -----------------------------------------------------------------------------


def _visible(user):
    return Demand.objects.filter(selectors.visible_q(user))


@login_required
def workbench(request):
    show = request.GET.get("show", "open")
    demands = _visible(request.user).select_related("place", "category", "handler").order_by("-id")
    if show == "open":
        demands = demands.filter(state__in=rules.OPEN_STATES)
    elif show == "mine":
        demands = demands.filter(handler=request.user, state__in=rules.OPEN_STATES)
    elif show == "overdue":
        demands = demands.filter(selectors.is_overdue_q(timezone.now()))
    elif show in rules.STATES:
        demands = demands.filter(state=show)
    chosen = {key: request.GET.get(key, "") for key in ("category", "source", "place")}
    if chosen["category"]:
        demands = demands.filter(category__code=chosen["category"])
    if chosen["source"] in Source.values:
        demands = demands.filter(source=chosen["source"])
    if chosen["place"]:
        from tongxin.core.models import Place

        place = Place.objects.filter(code=chosen["place"]).first()
        demands = demands.filter(place_path__gte=place.path, place_path__lt=place.path_end) if place else demands.none()
    page, more = newest_first_page(demands, request.GET.get("before", ""), PAGE_SIZE)
    now = timezone.now()
    for demand in page:
        demand.clock = clock(demand, now)
    bulk, place = {}, None
    if access.has_permission(request.user, DISPATCH):
        place = selectors.context_place(request.user, chosen["place"])  # where the user may dispatch
        category = Category.objects.filter(code=chosen["category"]).first() if chosen["category"] else None
        bulk = {
            "actions": [(a, rules.ACTIONS[a]) for a in BULK_ACTIONS],
            "candidates": selectors.handler_candidates(place) if place else [],
            "replies": selectors.canned_replies(category, place) if place else [],
        }
    return render(request, "demands/workbench.html", {
        "demands": page, "more": more, "show": show, "states": rules.STATES, "chosen": chosen,
        "categories": Category.objects.all(), "sources": Source.choices, "bulk": bulk,
        "poster_place": place if chosen["place"] else None,
        "keep": urlencode({k: v for k, v in {"show": show, **chosen}.items() if v}),
    })


#: What the workbench does to many demands at once: the day's sorting, not the judgement calls.
BULK_ACTIONS = ("accept", "dispatch", "verify", "close")


@login_required
@require_POST
def bulk_act(request):
    action = request.POST.get("action", "")
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    if action not in BULK_ACTIONS or not ids:
        messages.error(request, _("Tick the demands and choose an action."))
    else:
        visible = _visible(request.user).filter(pk__in=ids).values_list("pk", flat=True)
        done, refused = services.bulk_act(request.user, visible, action, **{
            k: v for k, v in _posted_step(request).items() if k != "referral"
        })
        if done:
            messages.success(request, _("%(n)d done.") % {"n": len(done)})
        for demand, why in refused:
            messages.error(request, f"{demand.tracking_code}: {why}")
    back = request.POST.get("back", "")
    return HttpResponseRedirect(reverse("demand-workbench") + ("?" + back if back else ""))


@login_required
def hand_over(request):
    """A departing worker's open demands, all at once, to a successor (工作交接)."""
    if not access.has_permission(request.user, DISPATCH):
        raise Http404("not a dispatcher")
    place = selectors.context_place(request.user, request.GET.get("place", ""))
    candidates = selectors.handler_candidates(place) if place else []
    handlers = selectors.current_handlers(request.user)
    if request.method == "POST":
        departing = next((u for u in handlers if str(u.pk) == request.POST.get("departing")), None)
        successor = next((c.user for c in candidates if str(c.user.pk) == request.POST.get("successor")), None)
        try:
            if departing is None or successor is None:
                raise RefusedError("handover_choose", "请选择交出人和接手人", "Choose who leaves and who takes over")
            moved = services.hand_over(request.user, departing, successor, note=request.POST.get("note", ""))
        except RefusedError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("%(n)d demands handed over to %(name)s.") % {
                "n": len(moved), "name": successor.name})
            return HttpResponseRedirect(reverse("demand-hand-over"))
    counts = dict(
        Demand.objects.filter(selectors.places_q(request.user), state__in=rules.OPEN_STATES, handler__in=handlers)
        .values_list("handler").annotate(n=Count("pk"))
    )
    return render(request, "demands/hand_over.html", {
        "handlers": [(u, counts.get(u.pk, 0)) for u in handlers], "candidates": candidates, "place": place,
    })


def clock(demand: Demand, now) -> dict | None:
    """The deadline that matters now, for the countdown on a card: the response deadline until
    staff respond (or while it waits at a level it was escalated to), then the resolution's."""
    if not demand.is_open or demand.state in rules.PAUSED:
        return None
    if demand.respond_by and (demand.responded_at is None or demand.state == "escalated"):
        return {"due": demand.respond_by, "late": demand.respond_by < now, "what": _("to respond")}
    if demand.resolve_by and demand.state not in rules.ANSWERED:
        return {"due": demand.resolve_by, "late": demand.resolve_by < now, "what": _("to resolve")}
    return None


@login_required
def demand_detail(request, pk):
    demand = get_object_or_404(Demand.objects.select_related("place", "category", "handler", "errand", "level"), pk=pk)
    roles = services.roles_of(request.user, demand)
    if not roles:
        raise Http404("not involved")
    codes = rules.step_actions(demand.state, roles)  # a merge: from the duplicates panel
    actions = [(a, rules.ACTIONS[a]) for a in codes]
    # The party a complaint may be about (a handler who is only the handler) does not learn who made it.
    hide_reporter = roles == {rules.HANDLER}
    return render(request, "demands/detail.html", {
        "hide_reporter": hide_reporter,
        "demand": demand, "timeline": timeline(demand), "actions": actions, "affected": services.affected(demand),
        "phone": privacy.mask_phone(demand.reporter_phone), "states": rules.STATES,
        "candidates": selectors.handler_candidates(demand.place) if rules.HANDS_OVER & set(codes) else [],
        "replies": selectors.canned_replies(demand.category, demand.place) if codes else [],
        "can_refer": "refer" in codes, "referrals": demand.referrals.all(), "clock": clock(demand, timezone.now()),
    })


def _posted_step(request, demand: Demand | None = None) -> dict:
    """What the step form (``_step_fields.html``) posted: the note (or a canned reply), the handler
    chosen from the list, the hand-off to another office."""
    post = request.POST
    note = post.get("note", "").strip()
    if not note and post.get("reply", "").isdigit():
        reply = CannedReply.objects.filter(pk=int(post["reply"]), active=True).first()
        note = reply.text if reply else ""
    handler = None
    if post.get("handler", "").isdigit():
        handler = User.objects.filter(pk=int(post["handler"]), is_active=True).first()
    return {"note": note, "handler": handler,
            "referral": {key: post.get(key, "") for key in services.REFERRAL_FIELDS}}


@login_required
@require_POST
def demand_act(request, pk):
    demand = get_object_or_404(Demand, pk=pk)
    if not services.can_see(request.user, demand):
        raise Http404("not involved")
    try:
        services.act(request.user, demand, request.POST.get("action", ""), **_posted_step(request))
    except rules.NotAllowed:
        messages.error(request, _("That step is not possible now."))
    except RefusedError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Done."))
    return HttpResponseRedirect(reverse("demand-detail", args=[demand.pk]))


@login_required
def record_on_behalf(request, code):
    """A grid worker records a demand for a resident met on a visit, by phone or at a meeting."""
    from tongxin.core.models import Place

    place = Place.objects.filter(code=code).first()
    if place is None or not access.can_see_path(request.user, DISPATCH, place.path):
        raise Http404("not allowed")
    categories = active_categories()
    error = None
    if request.method == "POST":
        source = request.POST.get("source") if request.POST.get("source") in Source.values else Source.VISIT
        try:
            demand = _file_report(request, place, categories, source=source, recorded_by=request.user)
        except RefusedError as refused:
            error = refused.message
        else:
            return HttpResponseRedirect(reverse("demand-detail", args=[demand.pk]))
    return render(request, "demands/on_behalf.html", {
        "place": place, "error": error, "values": request.POST,
        "sources": [s for s in Source if s != Source.QR], **_form_context(categories),
    }, status=400 if error else 200)


@login_required
def door_posters(request, code):
    """The door posters of a place as one PDF: one A4 page per entrance, gate, group or facility."""
    from tongxin.core.models import Place

    place = Place.objects.filter(code=code).first()
    if place is None or not access.can_see_path(request.user, DISPATCH, place.path):
        raise Http404("not allowed")
    doors = posters.poster_places(place, request.user)
    chosen = list(doors[: posters.MAX_WEB_PAGES + 1])
    if not chosen:
        raise Http404("no door here")
    if len(chosen) > posters.MAX_WEB_PAGES:
        return render(request, "demands/posters_too_many.html", {
            "place": place, "doors": doors.count(), "limit": posters.MAX_WEB_PAGES,
        }, status=400)
    response = HttpResponse(posters.poster_pdf(chosen, settings.TONGXIN_SITE_URL), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="posters-{place.code}.pdf"'
    return response


def similar(request, token):
    """While a resident types: open demands nearby that look alike (redacted), with "me too"."""
    qr = _door(token)
    found = alike(qr.place, request.GET.get("description", "")[:500])
    return render(request, "demands/_similar.html", {"found": found, "qr": qr})


@require_POST
def me_too(request, token, code):
    qr = _door(token)
    demand = get_object_or_404(Demand.objects.select_related("category"), tracking_code=code)
    near = neighbourhood(qr.place)
    if not (near.path <= demand.place_path < near.path_end):
        raise Http404("not nearby")
    try:
        count = services.me_too(demand, phone=request.POST.get("phone", ""),
                                client=services.client_key(client_ip(request)))
    except RefusedError as refused:
        return render(request, "demands/me_too_done.html", {"error": refused.message, "qr": qr}, status=400)
    if request.POST.get("phone"):
        _remember(request, demand)
    return _keep(request, render(request, "demands/me_too_done.html", {"demand": demand, "count": count, "qr": qr}))


def _photo_response(photo):
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def staff_photo(request, pk, photo_pk):
    demand = get_object_or_404(Demand, pk=pk)
    if not services.can_see(request.user, demand):
        raise Http404("not involved")
    return _photo_response(get_object_or_404(DemandPhoto, pk=photo_pk, demand=demand))


def resident_photo(request, code, photo_pk):
    demand = get_object_or_404(Demand, tracking_code=code)
    if not _confirmed(request, demand):
        raise Http404("confirm first")
    return _photo_response(get_object_or_404(DemandPhoto, pk=photo_pk, demand=demand))


# --- Duplicates (``demands.duplicates``, ``demands.merging``) ------------------------------


@login_required
@require_POST
def demand_merge(request, pk):
    """Merge this demand into the one chosen in the "Possible duplicates" panel."""
    demand = get_object_or_404(Demand, pk=pk)
    if not merging.can_merge(request.user, demand):
        raise Http404("not the user's to merge")
    chosen = request.POST.get("into", "")
    into = Demand.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if into is None:
        raise Http404("no such demand")
    try:
        merging.merge(request.user, demand, into, note=request.POST.get("note", ""))
    except rules.NotAllowed:
        messages.error(request, _("That step is not possible now."))
    except RefusedError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Merged. Its reporter now follows this demand."))
        return HttpResponseRedirect(reverse("demand-detail", args=[into.pk]))
    return HttpResponseRedirect(reverse("demand-detail", args=[demand.pk]))
