"""Person tags: the groups community registers track.

``sensitive`` tags describe health or hardship (PIPL sensitive personal information):
they are counted freely but shown on a person only to viewers with ``core.view_personal``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Tag:
    code: str
    label: object
    sensitive: bool = False


TAGS = [
    Tag("party_member", _("Party member")),
    Tag("elderly_alone", _("Elderly living alone"), sensitive=True),
    Tag("left_behind_child", _("Left-behind child"), sensitive=True),
    Tag("disabled", _("Disabled"), sensitive=True),
    Tag("special_hardship", _("Special hardship"), sensitive=True),
    Tag("five_guarantee", _("Five-guarantee"), sensitive=True),
    Tag("low_income", _("Subsistence allowance"), sensitive=True),
    Tag("floating_population", _("Floating population")),
    Tag("veteran", _("Veteran")),
    Tag("volunteer", _("Volunteer")),
]
TAG_BY_CODE = {tag.code: tag for tag in TAGS}
TAG_CHOICES = [(tag.code, tag.label) for tag in TAGS]
PARTY_MEMBER = "party_member"
