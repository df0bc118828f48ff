"""A demo typhoon warning for 沙市花园 (东苑社区), raised an hour ago: part of the households
confirmed from their links, some ticked off by the grid worker, one asking for help; the
rest still to reach, so the live board has something to show. Idempotent."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from tongxin.core.models import GridCoverage, Place, RoleAssignment
from tongxin.emergencies import services
from tongxin.emergencies.models import EmergencyNotice, Reach

COMPOUND = "jz-dongyuan-ssh"
TITLE = "台风“海葵”预警：今晚请勿外出"
BODY = ("第11号台风预计今晚22时前后影响我市。请关好门窗，收好阳台花盆和晾晒物品，低洼住户请到社区党群服务中心避险。"
        "行动不便需要帮助的，请点“需要帮助”或拨打网格员电话。")


def load(stdout) -> None:
    compound = Place.objects.filter(code=COMPOUND).first()
    staff = (RoleAssignment.objects.filter(role="community_staff", place__path__in=_above(compound),
                                           person__user__isnull=False)
             .select_related("person__user").order_by("pk").first()) if compound else None
    if staff is None:
        stdout.write("  emergencies: the demo compound 沙市花园 is missing; nothing loaded\n")
        return
    if EmergencyNotice.objects.filter(place=compound, title=TITLE).exists():
        stdout.write("  emergencies: already loaded\n")
        return
    notice = services.raise_notice(staff.person.user, compound, kind="typhoon", title=TITLE, body=BODY)
    services.fan_out(notice.pk)
    worker = _grid_worker(compound)
    households = list(services.occupied_households(compound).select_related("place").order_by("pk"))
    rng = random.Random(13)
    chosen = rng.sample(households, k=len(households) * 3 // 5)
    for n, household in enumerate(chosen):
        if n % 3 == 0 and worker is not None:
            services.tick(worker, notice, household, way="phone" if n % 2 else "door")
        else:
            services.confirm(notice, household, needs_help=n == 1,
                             note="家中老人行动不便，需要帮忙转移" if n == 1 else "")
    # Spread the times over the last hour, as they came in.
    raised = timezone.now() - datetime.timedelta(hours=1)
    EmergencyNotice.objects.filter(pk=notice.pk).update(raised_at=raised)
    step = 50 / max(len(chosen), 1)
    for n, pk in enumerate(Reach.objects.filter(notice=notice).order_by("pk").values_list("pk", flat=True)):
        Reach.objects.filter(pk=pk).update(at=raised + datetime.timedelta(minutes=2 + n * step))
    stdout.write(f"  emergencies: typhoon warning for {compound.name}, {len(chosen)}/{len(households)} households "
                 "reached, one asking for help (login 13900000003: 紧急通知)\n")


def _above(place):
    from tongxin.core.tree import lineage

    return lineage(place.path) if place else []


def _grid_worker(compound: Place):
    grids = GridCoverage.objects.filter(place__path__startswith=compound.path, valid_to__isnull=True).values("grid")
    found = (RoleAssignment.objects.filter(role="grid_worker", place__in=grids, person__user__isnull=False)
             .select_related("person__user").order_by("pk").first())
    return found.person.user if found else None
