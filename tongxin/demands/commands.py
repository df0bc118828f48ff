"""``tongxin qr-urls [PLACE]``: every QR URL under a place, one per line (for printing shops)."""


def add_commands(subparsers) -> None:
    qr = subparsers.add_parser(
        "qr-urls", help="print the QR URL of every entrance, gate, group and facility under a place"
    )
    qr.add_argument("place", nargs="?", help="a place code or name (default: everything)")
    qr.add_argument("--base", default=None, help="the site address (default: TONGXIN_SITE_URL)")
    qr.set_defaults(func=run_qr_urls)


def run_qr_urls(args) -> int:
    from django.conf import settings

    from tongxin.core.models import Place
    from tongxin.core.places import full_names, resolve_place
    from tongxin.demands.services import QR_KINDS, ensure_qr_codes

    places = resolve_place(args.place).subtree() if args.place else Place.objects.all()
    places = list(places.filter(kind__in=QR_KINDS, retired_on__isnull=True).order_by("path"))
    codes = ensure_qr_codes(places)
    names = full_names(places)
    base = (args.base or settings.TONGXIN_SITE_URL).rstrip("/")
    for place in places:
        print(f"{base}/q/{codes[place.pk]}/\t{names[place.pk]}")
    return 0
