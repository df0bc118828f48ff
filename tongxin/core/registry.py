"""The mechanism registry: how apps plug into the core without the core knowing them.

Every Tongxin app's ``AppConfig`` subclasses :class:`MechanismConfig` and declares what it
contributes (Decidim's component manifest, in Django terms). The core's menu, dashboard,
export page, API router, URLconf, ``tongxin`` CLI and demo loader loop over
:func:`mechanisms`; they never import an app's internals. Declarations are dotted paths,
resolved lazily, so declaring costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class MenuEntry:
    """A link in the main menu, shown to users holding ``permission`` somewhere, or to every
    signed-in user when it is ``None`` (a member's own page: members act through what they
    registered, not through a role)."""

    url_name: str
    label: Any  # a lazy translation string
    permission: str | None
    order: int = 100


@dataclass(frozen=True)
class Export:
    """A downloadable register (Excel); ``builder(user, place) -> (filename, bytes)``."""

    code: str
    label: Any
    builder: str  # dotted path
    permission: str


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notice an app sends (``core.outbox.notify``), and the channels it goes out on
    to people (webhook subscribers get every kind they subscribe to)."""

    code: str
    label: Any
    channels: tuple[str, ...] = ("inbox",)
    email_default: str = "digest"  # "immediate" for what cannot wait (an emergency call)
    #: Write the inbox item in the notifying transaction instead of by a worker: it appears
    #: the moment the change commits, even with every worker down (an emergency call).
    inbox_at_once: bool = False
    #: Webhooks only to subscribers that name this kind, never to catch-all ones (empty kinds):
    #: what the payload carries is for one gateway (a family's phone, a voting code).
    named_subscribers_only: bool = False


@dataclass(frozen=True)
class Recurring:
    """Work repeated every ``every`` seconds, or daily at ``daily_at`` ("07:30", local time);
    ``func`` is the dotted path of a function without arguments (``core.schedule``)."""

    code: str
    func: str
    every: int | None = None
    daily_at: str | None = None

    def resolve(self) -> Callable:
        return import_string(self.func)


class MechanismConfig(AppConfig):
    """Base ``AppConfig`` for every Tongxin app; subclasses override the class attributes."""

    #: Prefix under which ``<app>.urls`` is mounted (``None``: no screens).
    url_prefix: str | None = None
    #: Dotted path of ``register_api(router)`` adding viewsets under /api/v1/.
    api_routes: str | None = None
    #: Dotted path of ``stats(user, place) -> list[Stat]`` for the dashboard.
    dashboard_stats: str | None = None
    #: Dotted path of ``load(stdout) -> None``; loaders run in ``demo_order``.
    demo: str | None = None
    demo_order: int = 100
    #: Dotted path of ``add_commands(subparsers)`` for the ``tongxin`` CLI.
    cli_commands: str | None = None
    #: Dotted path of ``probes(world) -> list[Probe]``: how the scope walker requests each
    #: of this app's routes with records from a grid the caller does not cover.
    scope_probes: str | None = None
    #: Dotted path of ``people(user, permission)`` -> a queryset of person ids the user may see
    #: through a relationship this app keeps (a pairing, an assignment), or None: grants by
    #: relationship, on top of grants by place and by organisation (``core.access``).
    person_grants: str | None = None
    #: Links a building's QR page (a door) offers besides the report form: the dotted path of
    #: ``links(qr_place) -> [(label, url)]``, or a tuple of ``(url name taking the QR token,
    #: label)`` pairs. Lets an app add "register here" to every door without the QR page's app
    #: importing it.
    door_links: str | tuple[tuple[str, Any], ...] | None = None
    menu: tuple[MenuEntry, ...] = ()
    exports: tuple[Export, ...] = ()
    notification_kinds: tuple[NotificationKind, ...] = ()
    recurring: tuple[Recurring, ...] = ()
    #: Permission code -> label, e.g. ``{"registers.export": _("Export registers")}``.
    permissions: dict[str, Any] = {}
    #: Role code -> permission codes this app grants to holders of the role.
    role_permissions: dict[str, tuple[str, ...]] = {}

    # Django picks the AppConfig of an app's apps.py among the classes found there, and
    # this base class is found there too (it is imported). The base says it is not a
    # default; each subclass is one unless it says otherwise.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    def resolve(self, attribute: str) -> Callable | None:
        dotted = getattr(self, attribute)
        return import_string(dotted) if dotted else None


def mechanisms() -> list[MechanismConfig]:
    """Installed Tongxin apps in INSTALLED_APPS order (the core first)."""
    return [config for config in apps.get_app_configs() if isinstance(config, MechanismConfig)]


def menu_entries() -> list[MenuEntry]:
    entries = [entry for config in mechanisms() for entry in config.menu]
    return sorted(entries, key=lambda entry: entry.order)


def all_permissions() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for config in mechanisms():
        merged.update(config.permissions)
    return merged


def role_permissions() -> dict[str, set[str]]:
    """Role code -> every permission any app grants it."""
    merged: dict[str, set[str]] = {}
    for config in mechanisms():
        for role, perms in config.role_permissions.items():
            merged.setdefault(role, set()).update(perms)
    return merged


def notification_kinds() -> list[NotificationKind]:
    return [kind for config in mechanisms() for kind in config.notification_kinds]


def exports() -> list[Export]:
    return [export for config in mechanisms() for export in config.exports]


def recurring_jobs() -> list[Recurring]:
    return [job for config in mechanisms() for job in config.recurring]


def person_grants() -> list[Callable]:
    return [config.resolve("person_grants") for config in mechanisms() if config.person_grants]


def door_links(place, token: str) -> list[tuple[Any, str]]:
    """``(label, url)`` of every app's :attr:`MechanismConfig.door_links` for a door's QR page."""
    from django.urls import reverse

    found: list[tuple[Any, str]] = []
    for config in mechanisms():
        declared = config.door_links
        if not declared:
            continue
        if isinstance(declared, str):
            found.extend(import_string(declared)(place))
        else:
            found.extend((label, reverse(url_name, kwargs={"token": token})) for url_name, label in declared)
    return found


def demo_loaders() -> list[tuple[str, Callable]]:
    ordered = sorted((c for c in mechanisms() if c.demo), key=lambda c: (c.demo_order, c.label))
    return [(config.label, config.resolve("demo")) for config in ordered]


@dataclass(frozen=True)
class Probe:
    """One request of the scope walker: route name, URL arguments, method and data."""

    url_name: str
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    data: dict | None = None
    query: str = ""
    #: A capability URL for people without accounts (a QR page, a tracking code): holding the
    #: unguessable token is the grant, so the page may name its place, and nothing else.
    public: bool = False
    #: With ``public``: households the capability is for (a household's own emergency link),
    #: whose unit numbers the page may show as well.
    households: tuple = ()


@dataclass(frozen=True)
class Stat:
    """One figure on the dashboard: ``label``, ``value`` and an optional link."""

    label: Any
    value: Any
    url: str | None = None
