"""The role vocabulary and what each role may do in the core.

A role is held at a place (its subtree is the scope), at an organisation (the places it
manages or serves, and its members), or globally (administrator). Mechanism apps grant
their own permissions to these roles through ``MechanismConfig.role_permissions``; the
core's grants are in ``CoreConfig``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    code: str
    label: object
    scope: str  # "place", "organisation" or "global"


ROLES = [
    Role("district_leader", _("District leader"), "place"),
    Role("street_leader", _("Street leader"), "place"),
    Role("community_staff", _("Community staff"), "place"),
    Role("area_chief", _("Area chief"), "place"),
    Role("grid_chief", _("Grid chief"), "place"),
    Role("grid_worker", _("Grid worker"), "place"),
    Role("grid_point_leader", _("Grid-point leader"), "place"),
    Role("building_chief", _("Building chief"), "place"),
    Role("building_party_member", _("Building party member"), "place"),
    Role("building_volunteer", _("Building volunteer"), "place"),
    Role("party_group_leader", _("Party group leader"), "place"),
    Role("party_member_household", _("Party-member household"), "place"),
    Role("resident_representative", _("Resident representative"), "place"),
    Role("group_leader", _("Villager group leader"), "place"),
    Role("police_liaison", _("Police liaison"), "place"),
    Role("family_doctor", _("Family doctor"), "place"),
    Role("property_staff", _("Property staff"), "organisation"),
    Role("owners_committee_member", _("Owners' committee member"), "organisation"),
    Role("administrator", _("Administrator"), "global"),
    # A work unit's (or any organisation's) branch secretary sees the branch's own members
    # wherever they live and serve (双报到), not a place.
    Role("branch_secretary", _("Party branch secretary"), "organisation"),
]
ROLE_BY_CODE = {role.code: role for role in ROLES}
ROLE_CHOICES = [(role.code, role.label) for role in ROLES]
GLOBAL_ROLES = frozenset(role.code for role in ROLES if role.scope == "global")

# Core permissions. ``view_tree``: see places and counts; ``view_register``: see
# households and people (masked); ``view_personal``: see phone and ID numbers unmasked
# (each read is logged); ``manage_register``: change households and people.
VIEW_TREE = "core.view_tree"
VIEW_REGISTER = "core.view_register"
VIEW_PERSONAL = "core.view_personal"
MANAGE_REGISTER = "core.manage_register"

_LEADERS = ("district_leader", "street_leader")
_GRID_STAFF = ("community_staff", "area_chief", "grid_chief", "grid_worker", "grid_point_leader")
_BUILDING = (
    "building_chief", "building_party_member", "building_volunteer", "party_group_leader",
    "party_member_household", "resident_representative", "group_leader", "police_liaison", "family_doctor",
)

CORE_ROLE_PERMISSIONS = {
    **{code: (VIEW_TREE, VIEW_REGISTER) for code in _LEADERS},
    **{code: (VIEW_TREE, VIEW_REGISTER, VIEW_PERSONAL) for code in ("area_chief", "grid_chief", "grid_point_leader")},
    "community_staff": (VIEW_TREE, VIEW_REGISTER, VIEW_PERSONAL, MANAGE_REGISTER),
    "grid_worker": (VIEW_TREE, VIEW_REGISTER, VIEW_PERSONAL, MANAGE_REGISTER),
    **{code: (VIEW_TREE, VIEW_REGISTER) for code in _BUILDING},
    "property_staff": (VIEW_TREE,),
    "owners_committee_member": (VIEW_TREE,),
    "administrator": (VIEW_TREE, VIEW_REGISTER, VIEW_PERSONAL, MANAGE_REGISTER),
    "branch_secretary": (VIEW_REGISTER,),
}
assert set(CORE_ROLE_PERMISSIONS) == set(ROLE_BY_CODE), "every role has core permissions"
assert set(_GRID_STAFF) <= set(ROLE_BY_CODE)
