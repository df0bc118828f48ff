"""``tongxin apikey create|list|revoke``: API keys for other systems (``docs/open311.md``)."""


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser("apikey", help="issue, list or revoke API keys for other systems")
    sub = parser.add_subparsers(dest="apikey_command", required=True)
    create = sub.add_parser("create", help="issue a key; prints it on the last line (shown only once)")
    create.add_argument("--name", required=True, help="the client, e.g. 市12345热线")
    create.add_argument("--place", required=True, action="append", help="a place code the key reaches (repeatable)")
    create.add_argument("--per-minute", type=int, default=120, help="requests per minute (default 120)")
    create.set_defaults(func=run_create)
    listing = sub.add_parser("list", help="list the keys")
    listing.set_defaults(func=run_list)
    revoke = sub.add_parser("revoke", help="revoke a key by its prefix")
    revoke.add_argument("prefix")
    revoke.set_defaults(func=run_revoke)


def run_create(args) -> int:
    from tongxin.core.errors import RefusedError
    from tongxin.core.models import Place
    from tongxin.open311 import keys

    places = list(Place.objects.filter(code__in=args.place))
    missing = set(args.place) - {p.code for p in places}
    if missing:
        print(f"no such place: {', '.join(sorted(missing))}")
        return 2
    try:
        key, raw = keys.issue(args.name, places, args.per_minute)
    except RefusedError as refused:
        print(refused.message)
        return 2
    print(f"key {key.prefix} for {key.name}: {', '.join(p.code for p in places)}")
    print(raw)
    return 0


def run_list(args) -> int:
    from tongxin.open311.models import ApiKey

    for key in ApiKey.objects.prefetch_related("places").order_by("created_at"):
        state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        print(f"{key.prefix}  {key.name}  {','.join(p.code for p in key.places.all())}  {state}")
    return 0


def run_revoke(args) -> int:
    from tongxin.open311 import keys
    from tongxin.open311.models import ApiKey

    key = ApiKey.objects.filter(prefix=args.prefix).first()
    if key is None:
        print(f"no such key: {args.prefix}")
        return 2
    keys.revoke(key)
    print(f"key {key.prefix} revoked")
    return 0
