from django.utils.translation import gettext_lazy as _

from tongxin.core.registry import MechanismConfig, MenuEntry, NotificationKind, Recurring

#: Keep the property register, create, open and close owners' decisions, enter paper ballots.
MANAGE = "voting.manage"
#: See the owners' decisions of one's places and their turnout (leaders, the owners' committee).
VIEW = "voting.view"
MANAGERS = ("community_staff", "grid_worker", "grid_chief", "area_chief", "administrator")


class VotingConfig(MechanismConfig):
    """Owners' decisions (业主共同决定, Civil Code art. 278) and elections: the property register
    of exclusive units and their owners, frozen electorates, ballots by personal link or paper,
    the tally with its arithmetic, receipts and the published ballot list. ``docs/voting.md``."""

    name = "tongxin.voting"
    label = "voting"
    verbose_name = _("Owners' decisions")
    default_auto_field = "django.db.models.BigAutoField"

    url_prefix = "voting/"
    scope_probes = "tongxin.voting.probes.probes"
    demo = "tongxin.voting.demo.load"
    demo_order = 80  # after the registers' tree (10) and the notices (50)
    menu = (
        MenuEntry("voting-decisions", _("Owners' decisions"), VIEW, order=40),
        MenuEntry("voting-units", _("Property register"), MANAGE, order=41),
    )
    permissions = {
        MANAGE: _("Keep the property register and run owners' decisions"),
        VIEW: _("See the owners' decisions of one's places"),
    }
    role_permissions = {
        **{role: (MANAGE, VIEW) for role in MANAGERS},
        **{role: (VIEW,) for role in ("street_leader", "district_leader", "owners_committee_member")},
    }
    recurring = (
        # Each decision has its own closing task (``services.decisions``); this catches a lost one.
        Recurring("voting-close-sweep", "tongxin.voting.services.decisions.close_due", every=300),
    )
    notification_kinds = (
        # Owners have no login: a webhook subscriber (an SMS gateway) taking this kind texts the
        # code to the phone in the payload.
        NotificationKind("voting_code", _("A confirmation code for an owners' ballot"), channels=("inbox",),
                         named_subscribers_only=True),  # the code goes to the SMS gateway only
    )
