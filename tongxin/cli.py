"""The ``tongxin`` console command. Subcommands come from every mechanism's manifest.

``tongxin demo`` loads the demo data once; ``tongxin tree [PLACE]`` prints the tree with
counts; ``tongxin manage ...`` runs any Django management command. Apps add their own
through ``MechanismConfig.cli_commands``.
"""

import argparse
import os
import sys


def build_parser() -> argparse.ArgumentParser:
    from tongxin.core.registry import mechanisms

    parser = argparse.ArgumentParser(prog="tongxin", description="Tongxin (同心) community co-governance")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for config in mechanisms():
        add = config.resolve("cli_commands")
        if add:
            add(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings")
    if argv[:1] == ["manage"]:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["tongxin manage", *argv[1:]])
        return 0
    import django

    django.setup()
    from tongxin.core.errors import RefusedError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except RefusedError as refused:
        print(refused.message, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
