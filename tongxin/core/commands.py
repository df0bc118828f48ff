"""The core's ``tongxin`` subcommands: ``demo`` and ``tree``."""

import sys

from django.db import transaction


def add_commands(subparsers) -> None:
    demo = subparsers.add_parser("demo", help="load the demo data once and list the demo logins")
    demo.add_argument("--quiet", action="store_true", help="do not list the demo logins")
    demo.set_defaults(func=run_demo)
    tree = subparsers.add_parser("tree", help="print the place tree with counts")
    tree.add_argument("place", nargs="?", help="a place code or name (default: every root)")
    tree.add_argument("--depth", type=int, default=2, help="levels to print below the place (default 2)")
    tree.set_defaults(func=run_tree)
    schedule = subparsers.add_parser("schedule", help="queue the next run of every recurring job that has none")
    schedule.set_defaults(func=run_schedule)
    counters = subparsers.add_parser("counts", help="check or rebuild the rollup counters of the tree")
    action = counters.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true", help="list counters that differ from a recount")
    action.add_argument("--rebuild", action="store_true", help="recount everything from the raw tables")
    counters.set_defaults(func=run_counts)


def run_schedule(args) -> int:
    from tongxin.core.schedule import ensure_schedules

    started = ensure_schedules()
    print("queued: " + (", ".join(started) if started else "nothing (every recurring job has its next run)"))
    return 0


def run_counts(args) -> int:
    from tongxin.core import counts
    from tongxin.core.models import Place

    if args.rebuild:
        with transaction.atomic():
            print(f"{counts.rebuild()} counters rebuilt")
        return 0
    drifted = counts.differences()
    names = dict(Place.objects.filter(pk__in={pid for pid, *_ in drifted}).values_list("pk", "code"))
    for pid, metric, have, want in drifted:
        print(f"{names.get(pid, pid)}\t{metric}\tstored {have}\texpected {want}")
    print(f"{len(drifted)} counters differ" if drifted else "all counters match")
    return 1 if drifted else 0


def run_demo(args) -> int:
    from tongxin.core.models import DemoRun
    from tongxin.core.registry import demo_loaders

    for label, load in demo_loaders():
        if DemoRun.objects.filter(app_label=label).exists():
            continue
        print(f"Loading demo data: {label} …", flush=True)
        with transaction.atomic():
            load(sys.stdout)
            DemoRun.objects.create(app_label=label)
    if not args.quiet:
        print_logins()
    return 0


def print_logins() -> None:
    from django.conf import settings
    from django.utils import translation

    from tongxin.core.models import RoleAssignment, User

    translation.activate("zh-hans")
    password = getattr(settings, "TONGXIN_DEMO_PASSWORD", "")
    print(f"\nDemo logins (password: {password}) / 演示账号（密码：{password}）")
    users = User.objects.filter(is_active=True).select_related("person").order_by("phone")
    login_people = [user.person_id for user in users if user.person_id]
    held: dict[int, dict[str, list[str]]] = {}
    assignments = RoleAssignment.objects.filter(valid_to__isnull=True, person_id__in=login_people)
    for assignment in assignments.select_related("place", "organisation").order_by("id"):
        where = assignment.place or assignment.organisation
        places = held.setdefault(assignment.person_id, {}).setdefault(assignment.get_role_display(), [])
        places.append(where.name if where else "")
    for user in users:
        parts = []
        for role, places in held.get(user.person_id, {}).items():
            more = f" (+{len(places) - 1})" if len(places) > 1 else ""
            parts.append(f"{role} @ {places[0]}{more}" if places[0] else role)
        described = "; ".join(parts) or ("superuser" if user.is_superuser else "")
        print(f"  {user.phone}  {user.name:<6} {described}")


def run_tree(args) -> int:
    from tongxin.core.models import Place
    from tongxin.core.places import resolve_place
    from tongxin.core.selectors import counts_for

    roots = [resolve_place(args.place)] if args.place else list(Place.objects.filter(parent__isnull=True))
    for root in roots:
        _print_subtree(root, args.depth, counts_for)
    return 0


def _print_subtree(root, depth, counts_for) -> None:
    from tongxin.core.models import Place

    places = list(
        Place.objects.filter(path__gte=root.path, path__lt=root.path_end, depth__lte=root.depth + depth).order_by(
            "path"
        )
    )
    counts = counts_for(places)
    for place in places:
        c = counts[place.pk]
        indent = "  " * (place.depth - root.depth)
        print(
            f"{indent}{place.name} [{place.code}] {place.get_kind_display()}: "
            f"{c.households} 户 households, {c.residents} 人 residents, {c.party_members} 党员 party members"
        )
