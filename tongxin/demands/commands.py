"""``tongxin qr-urls [PLACE]``: every QR URL under a place, one per line (for printing shops).
``tongxin posters PLACE``: the door posters of every entrance, gate, group and facility under
a place as one PDF (no page limit, unlike the web page)."""


def add_commands(subparsers) -> None:
    qr = subparsers.add_parser(
        "qr-urls", help="print the QR URL of every entrance, gate, group and facility under a place"
    )
    qr.add_argument("place", nargs="?", help="a place code or name (default: everything)")
    qr.add_argument("--base", default=None, help="the site address (default: TONGXIN_SITE_URL)")
    qr.set_defaults(func=run_qr_urls)
    posters = subparsers.add_parser(
        "posters", help="write the door posters (QR code, contacts) of every door under a place as one PDF"
    )
    posters.add_argument("place", help="a place code or name")
    posters.add_argument("-o", "--output", default=None, help="the PDF file (default: posters-<code>.pdf)")
    posters.add_argument("--base", default=None, help="the site address (default: TONGXIN_SITE_URL)")
    posters.set_defaults(func=run_posters)


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


def run_posters(args) -> int:
    import sys
    import time
    from pathlib import Path

    from django.conf import settings

    from tongxin.core.places import resolve_place
    from tongxin.demands.posters import poster_pdf, poster_places

    place = resolve_place(args.place)
    doors = list(poster_places(place))
    if not doors:
        print(f"No entrance, gate, group or facility under {place.code}", file=sys.stderr)
        return 1
    started = time.monotonic()
    pdf = poster_pdf(doors, args.base or settings.TONGXIN_SITE_URL)
    output = Path(args.output or f"posters-{place.code}.pdf")
    output.write_bytes(pdf)
    print(f"{output}: {len(doors)} posters, {len(pdf) // 1024} KiB, {time.monotonic() - started:.1f} s")
    return 0
