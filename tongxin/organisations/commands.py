"""``tongxin orgs [PLACE]``: the organisations based under a place, by kind."""

from django.db.models import Q
from django.utils import timezone


def add_commands(subparsers) -> None:
    orgs = subparsers.add_parser("orgs", help="list the organisations based under a place")
    orgs.add_argument("place", help="a place code or name")
    orgs.set_defaults(func=run_orgs)


def run_orgs(args) -> int:
    from tongxin.core.models import Organisation
    from tongxin.core.places import resolve_place

    place = resolve_place(args.place)
    today = timezone.localdate()
    rows = (
        Organisation.objects.filter(place__path__gte=place.path, place__path__lt=place.path_end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("place")
        .order_by("kind", "name")
    )
    for organisation in rows:
        print(f"{organisation.get_kind_display()}\t{organisation.name}\t{organisation.place.name}\t{organisation.code}")
    return 0
