"""Person tags: the groups community registers track.

``sensitive`` tags describe health or hardship (PIPL sensitive personal information):
they are counted freely but shown on a person only to viewers with ``core.view_personal``.

``basis`` says why a category may be held (``docs/pipl.md``): ``STATUTORY`` registers the
community keeps under a legal duty (PIPL art. 13(1)(3): the special-hardship,
five-guarantee and subsistence rolls), ``CONSENT`` categories need the person's separate
consent (arts. 28–29), a guardian's for a child under 14 (art. 31), recorded as a
``Consent`` row before the tag can be set.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

STATUTORY = "statutory"
CONSENT = "consent"


@dataclass(frozen=True)
class Tag:
    code: str
    label: object
    sensitive: bool = False
    basis: str = STATUTORY

    @property
    def needs_consent(self) -> bool:
        return self.basis == CONSENT


TAGS = [
    Tag("party_member", _("Party member")),
    Tag("elderly_alone", _("Elderly living alone"), sensitive=True, basis=CONSENT),
    Tag("left_behind_child", _("Left-behind child"), sensitive=True, basis=CONSENT),
    Tag("disabled", _("Disabled"), sensitive=True, basis=CONSENT),
    Tag("empty_nest", _("Empty-nest elderly"), sensitive=True, basis=CONSENT),
    Tag("serious_illness", _("Serious illness"), sensitive=True, basis=CONSENT),
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
