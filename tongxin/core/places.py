"""Finding a place from what a person typed: its code or its name."""

from tongxin.core.errors import RefusedError
from tongxin.core.models import Place


def resolve_place(text: str) -> Place:
    """The place whose code is ``text``, else the one place with that name.

    An ambiguous name (two "1栋" in different compounds) is refused with the matches, so
    that a command never acts on the wrong building.
    """
    text = (text or "").strip()
    place = Place.objects.filter(code=text).first()
    if place:
        return place
    matches = list(Place.objects.filter(name=text).order_by("path")[:20])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise RefusedError("place_not_found", f"找不到地点“{text}”", f"No place has the code or name {text!r}")
    lines = "\n".join(f"  {m.code}  {full_name(m)}" for m in matches)
    raise RefusedError(
        "place_ambiguous",
        f"有 {len(matches)} 个地点名为“{text}”，请改用编码：\n{lines}",
        f"{len(matches)} places are named {text!r}; use a code instead:\n{lines}",
    )


def full_name(place: Place) -> str:
    return full_names([place])[place.pk]


def full_names(places: list[Place]) -> dict[int, str]:
    """"市 / 区 / 街道 / … / 3栋" for each place, in one statement for all their ancestors."""
    from tongxin.core.tree import ancestor_paths

    wanted = {path for place in places for path in ancestor_paths(place.path)}
    names = dict(Place.objects.filter(path__in=wanted).values_list("path", "name"))
    return {
        place.pk: " / ".join([*(names[p] for p in ancestor_paths(place.path) if p in names), place.name])
        for place in places
    }
