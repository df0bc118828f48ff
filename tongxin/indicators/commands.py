"""``tongxin rebuild-rollups``: recount the indicators' rollups from the demands and their
timelines (after a bulk import, a restore, or if ``--check`` finds drift)."""


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        "rebuild-rollups", help="recount the demand indicators' rollups from the demands and their timelines"
    )
    parser.add_argument("--check", action="store_true", help="only report rows that differ; change nothing")
    parser.set_defaults(func=run_rebuild)


def run_rebuild(args) -> int:
    import time

    from tongxin.indicators import rollups

    started = time.monotonic()
    if args.check:
        fresh, _tallies = rollups.recompute()
        kept = rollups.stored()
        drift = sorted(key for key in fresh.keys() | kept.keys() if fresh.get(key) != kept.get(key))
        for unit_id, unit_path, category_id, day in drift[:50]:
            print(f"drift: unit {unit_id} ({unit_path}) category {category_id} {day}")
        print(f"{len(drift)} rows differ ({time.monotonic() - started:.1f} s)")
        return 1 if drift else 0
    rows = rollups.rebuild_rollups()
    print(f"{rows} rollup rows rebuilt ({time.monotonic() - started:.1f} s)")
    return 0
