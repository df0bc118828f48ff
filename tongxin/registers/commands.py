"""``tongxin export --place PLACE FILE`` and ``tongxin import FILE``: the registers in and out of Excel,
as the screens do it, in the scope of the account named by ``--as``."""

from pathlib import Path


def add_commands(subparsers) -> None:
    export = subparsers.add_parser("export", help="write the household and resident registers under a place to Excel")
    export.add_argument("--place", required=True, help="a place code or name")
    export.add_argument(
        "--as", dest="phone", help="the phone of the user whose scope applies and who is logged as the reader "
        "(default: the first active superuser)",
    )
    export.add_argument("file", help="the .xlsx file to write")
    export.set_defaults(func=run_export)
    load = subparsers.add_parser(
        "import", help="import places, households, residents and rentals from a register workbook (all or nothing)"
    )
    load.add_argument("file", help="the .xlsx file to read (the layout of the export and of the import template)")
    load.add_argument("--as", dest="phone", help="the phone of the user whose scope applies (default: the first "
                      "active superuser)")
    load.add_argument("--check", action="store_true", help="only check the file and say what would change")
    load.set_defaults(func=run_import)


def run_export(args) -> int:
    from tongxin.core.places import resolve_place
    from tongxin.registers.workbook import write_registers

    place = resolve_place(args.place)
    _name, content = write_registers(_acting_user(args.phone), place)
    Path(args.file).write_bytes(content)
    print(f"{args.file}: {len(content)} bytes")
    return 0


def _acting_user(phone: str | None):
    from tongxin.core.errors import RefusedError
    from tongxin.core.models import User

    users = User.objects.filter(is_active=True)
    user = (users.filter(phone=phone) if phone else users.filter(is_superuser=True).order_by("id")).first()
    if user is None:
        raise RefusedError(
            "user_not_found", "找不到执行所用的账号，请用 --as 指定手机号", "No account to act as; name one with --as"
        )
    return user


def run_import(args) -> int:
    from tongxin.registers.importer import import_registers

    path = Path(args.file)
    if not path.is_file():
        print(f"找不到文件 {path} / No such file: {path}")
        return 2
    outcome = import_registers(_acting_user(args.phone), path.read_bytes(), dry_run=args.check)
    for problem in outcome.problems:
        print(problem)
    if not outcome.ok:
        count = len(outcome.problems)
        print(f"{count} 处问题，未导入任何内容 / {count} problems; nothing was imported")
        return 1
    verb = "检查通过，将会" if args.check else "已导入"
    print(f"{verb}：{outcome.summary_zh()} / {outcome.summary_en()}")
    return 0
