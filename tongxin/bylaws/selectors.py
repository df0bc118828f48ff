"""Every read of rules on the wall: staff reads scoped through ``core.access``; the public reads
show published versions only. ``docs/bylaws.md``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.bylaws import rules
from tongxin.bylaws.apps import MANAGE, VIEW
from tongxin.bylaws.models import Bylaw, BylawVersion
from tongxin.core import access
from tongxin.core.models import Place
from tongxin.core.pagination import keyset_page
from tongxin.core.tree import lineage
from tongxin.deliberation.models import Consultation, MajorMatter
from tongxin.voting.models import Decision

PAGE = 50


# --- staff ------------------------------------------------------------------------------------
def visible(user):
    return Bylaw.objects.filter(access.path_filter(user, VIEW, "place_path"))


def staff_page(user, after: int | None) -> tuple[list, int | None]:
    """A page of the rules the user may see, each with its versions' numbers and states (two
    statements whatever the page holds)."""
    rows, following = keyset_page(visible(user).select_related("place").order_by("id"), after, PAGE)
    versions: dict[int, list] = {}
    for bylaw_id, number, published_at, effective_on in (
            BylawVersion.objects.filter(bylaw__in=[b.pk for b in rows]).order_by("number")
            .values_list("bylaw_id", "number", "published_at", "effective_on")):
        versions.setdefault(bylaw_id, []).append(rules.Dated(number, effective_on, published_at is not None))
    today = timezone.localdate()
    for bylaw in rows:
        mine = versions.get(bylaw.pk, [])
        bylaw.current_number, bylaw.upcoming_number = rules.in_force(mine, today)
        bylaw.has_draft = any(not v.published for v in mine)
        bylaw.version_count = sum(v.published for v in mine)
    return rows, following


def manageable_places(user):
    """The places where the user may create rules (compounds, communities, villages)."""
    return (Place.objects.filter(access.path_filter(user, MANAGE), kind__in=rules.PLACE_KINDS)
            .order_by("path"))


def can_manage(user, bylaw: Bylaw) -> bool:
    return access.can_see_path(user, MANAGE, bylaw.place_path)


def bylaw_for(user, pk: int) -> Bylaw | None:
    return visible(user).select_related("place").filter(pk=pk).first()


def versions_of(bylaw: Bylaw) -> list[BylawVersion]:
    return list(BylawVersion.objects.filter(bylaw=bylaw).select_related("decision", "matter", "consultation")
                .order_by("number"))


@dataclass
class Choice:
    value: str
    label: str


@dataclass
class ChoiceGroup:
    label: object
    choices: list[Choice] = field(default_factory=list)


def decision_choices(bylaw: Bylaw) -> list[ChoiceGroup]:
    """What a version of this rule may cite: closed and passed owners' decisions, resolved major
    matters, decided consultations, taken at the rule's place or above it (three statements)."""
    above = lineage(bylaw.place_path)
    votes = (Decision.objects.filter(place_path__in=above, state="closed", passed=True)
             .order_by("-closed_at", "-id").values_list("pk", "title", "closed_at")[:50])
    matters = (MajorMatter.objects.filter(place_path__in=above, state__in=rules.MATTER_RESOLVED)
               .order_by("-updated_at", "-id").values_list("pk", "title")[:50])
    consultations = (Consultation.objects.filter(place_path__in=above, state=rules.CONSULTATION_DECIDED)
                     .exclude(owners_vote__passed=False).order_by("-updated_at", "-id").values_list("pk", "title")[:50])
    return [
        ChoiceGroup(_("Owners' decisions"), [
            Choice(f"v:{pk}", f"{title}（{timezone.localtime(at):%Y-%m-%d}）" if at else title)
            for pk, title, at in votes]),
        ChoiceGroup(_("Major matters' resolutions"), [Choice(f"m:{pk}", title) for pk, title in matters]),
        ChoiceGroup(_("Consultations' decisions"), [Choice(f"c:{pk}", title) for pk, title in consultations]),
    ]


def cited_by_value(value: str) -> dict:
    """The decision a select's value names ("v:12", "m:3", "c:5"), for the service to check;
    nothing chosen: none."""
    found = {"decision": None, "matter": None, "consultation": None}
    kind, _sep, pk = (value or "").partition(":")
    if not pk.isdigit():
        return found
    model, name = {"v": (Decision, "decision"), "m": (MajorMatter, "matter"),
                   "c": (Consultation, "consultation")}.get(kind, (None, None))
    if model is not None:
        queryset = model.objects.all()
        if model is Consultation:
            queryset = queryset.select_related("owners_vote")
        found[name] = queryset.filter(pk=int(pk)).first()
    return found


def value_of(version: BylawVersion | None) -> str:
    if version is None:
        return ""
    for prefix, name in (("v", "decision_id"), ("m", "matter_id"), ("c", "consultation_id")):
        if getattr(version, name):
            return f"{prefix}:{getattr(version, name)}"
    return ""


# --- public -----------------------------------------------------------------------------------
def _published():
    return BylawVersion.objects.filter(published_at__isnull=False)


def public_place(code: str) -> Place | None:
    if not code or len(code) > 64:
        return None
    return Place.objects.filter(code=code).first()


def public_rules(place: Place) -> list[Bylaw]:
    """The rules of the place and of the places above it that have a published version, each with
    ``current`` (the version in force) and ``upcoming`` (published, in force later). Three
    statements however many rules and versions; texts are read for the shown versions only."""
    bylaws = list(Bylaw.objects.filter(place_path__in=lineage(place.path), versions__published_at__isnull=False)
                  .distinct().select_related("place").order_by("place_path", "kind", "title"))
    dated: dict[int, list] = {}
    for bylaw_id, number, effective_on in (_published().filter(bylaw__in=bylaws)
                                           .values_list("bylaw_id", "number", "effective_on")):
        dated.setdefault(bylaw_id, []).append(rules.Dated(number, effective_on, True))
    today = timezone.localdate()
    wanted: dict[tuple[int, int], str] = {}
    for bylaw in bylaws:
        bylaw.current_number, bylaw.upcoming_number = rules.in_force(dated.get(bylaw.pk, []), today)
        bylaw.version_count = len(dated.get(bylaw.pk, []))
        for number, role in ((bylaw.current_number, "current"), (bylaw.upcoming_number, "upcoming")):
            if number is not None:
                wanted[(bylaw.pk, number)] = role
    condition = Q(pk__in=[])
    for bylaw_id, number in wanted:
        condition |= Q(bylaw_id=bylaw_id, number=number)
    shown = {(v.bylaw_id, v.number): v for v in _published().filter(condition)
             .select_related("decision", "matter", "consultation")}
    for version in shown.values():
        version.cited = cited_link(version)
    for bylaw in bylaws:
        bylaw.current = shown.get((bylaw.pk, bylaw.current_number))
        bylaw.upcoming = shown.get((bylaw.pk, bylaw.upcoming_number))
    return bylaws


def public_rule(pk: int) -> tuple[Bylaw | None, list[BylawVersion]]:
    """A rule with at least one published version, and its published versions, oldest first."""
    bylaw = Bylaw.objects.select_related("place").filter(pk=pk).first()
    if bylaw is None:
        return None, []
    versions = list(_published().filter(bylaw=bylaw).order_by("number")
                    .select_related("decision", "matter", "consultation__owners_vote"))
    return (bylaw, versions) if versions else (None, [])


def cited_link(version: BylawVersion) -> tuple[str, str] | None:
    """(title, public link or "") of the decision a version cites; the link only where the
    decision's own page is public (a closed vote's result, a published resolution, a decided
    consultation)."""
    if version.decision_id:
        decision = version.decision
        link = reverse("voting-result", args=[decision.pk]) if decision.state == "closed" else ""
        return decision.title, link
    if version.matter_id:
        matter = version.matter
        link = (reverse("deliberation-public", args=[matter.token])
                if matter.state in ("published", "completed") else "")
        return matter.title, link
    if version.consultation_id:
        consultation = version.consultation
        link = (reverse("deliberation-consultation-public", args=[consultation.token])
                if consultation.state == rules.CONSULTATION_DECIDED else "")
        return consultation.title, link
    return None


def nearest_with_rules(place: Place) -> Place | None:
    """The deepest place at or above ``place`` holding a published rule (one statement)."""
    path = (Bylaw.objects.filter(place_path__in=lineage(place.path), versions__published_at__isnull=False)
            .order_by("-place_path").values_list("place_path", flat=True).first())
    return Place.objects.filter(path=path).first() if path else None


def door_links(place: Place) -> list[tuple[object, str]]:
    """The manifest's ``door_links``: on a door's QR page, "小区规章公约" when the door's compound
    (or its community, its village) has published rules."""
    found = nearest_with_rules(place)
    if found is None:
        return []
    return [(_("Rules on the wall"), reverse("bylaws-public", args=[found.code]))]
