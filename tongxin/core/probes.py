"""Scope-walker probes for the core's routes (see ``core.scopewalker``)."""

from tongxin.core.registry import Probe, exports


def probes(world) -> list[Probe]:
    outsider = world.people["worker_b"]
    return [
        Probe("home"),
        Probe("login"),
        Probe("logout", method="post"),
        Probe("toggle-display", method="post", data={"flag": "large"}),
        Probe("healthz"),
        Probe("favicon"),
        Probe("set_language", method="post", data={"language": "en", "next": "/"}),
        Probe("api-token", method="post", data={"phone": outsider.user.phone, "password": "wrong-password"}),
        Probe("schema"),
        Probe("api-docs"),
        Probe("api:api-root"),
        *(Probe("export-download", {"code": e.code, "place_code": world.places["b2"].code}) for e in exports()),
        Probe("export-download", {"code": "no-such-export", "place_code": world.places["b1"].code}),
    ]
