"""``tongxin export --place PLACE FILE``: the registers under a place, as the screens export them."""

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


def run_export(args) -> int:
    from tongxin.core.errors import RefusedError
    from tongxin.core.models import User
    from tongxin.core.places import resolve_place
    from tongxin.registers.workbook import write_registers

    place = resolve_place(args.place)
    users = User.objects.filter(is_active=True)
    user = (users.filter(phone=args.phone) if args.phone else users.filter(is_superuser=True).order_by("id")).first()
    if user is None:
        raise RefusedError(
            "user_not_found",
            "找不到导出所用的账号，请用 --as 指定手机号",
            "No account to export as; name one with --as",
        )
    _name, content = write_registers(user, place)
    Path(args.file).write_bytes(content)
    print(f"{args.file}: {len(content)} bytes")
    return 0
