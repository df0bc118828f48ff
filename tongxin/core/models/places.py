"""The one tree of places, and grids as responsibility areas over it.

Physical places (district → street → community → compound → building → entrance, or
village → villager group → courtyard) nest by containment. Areas, grids and grid points
are places too (so they nest, have codes and appear in the tree browser), but they hold
no households: a :class:`GridCoverage` row says which physical places a responsibility
area covers, with validity dates, so a compound can be split between grids and a redrawn
grid keeps its history. See ``docs/tree.md``.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    STREET = "street", _("Street")
    TOWN = "town", _("Town")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    AREA = "area", _("Area")
    GRID = "grid", _("Grid")
    GRID_POINT = "grid_point", _("Grid point")
    COMPOUND = "compound", _("Residential compound")
    VILLAGER_GROUP = "villager_group", _("Villager group")
    COURTYARD = "courtyard", _("Courtyard cluster")
    BUILDING = "building", _("Building")
    ENTRANCE = "entrance", _("Entrance")
    FACILITY = "facility", _("Facility")


#: Responsibility areas: they cover physical places instead of containing them.
RESPONSIBILITY_KINDS = frozenset({PlaceKind.AREA, PlaceKind.GRID, PlaceKind.GRID_POINT})
#: Places a household can belong to.
HOUSEHOLD_KINDS = frozenset(
    {PlaceKind.ENTRANCE, PlaceKind.BUILDING, PlaceKind.VILLAGER_GROUP, PlaceKind.COURTYARD}
)


class Place(models.Model):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    code = models.SlugField(_("code"), max_length=64, unique=True, allow_unicode=False)
    name = models.CharField(_("name"), max_length=100)
    # Materialised path (core.tree); C-ordered digits, indexed for range scans.
    path = models.CharField(max_length=255, unique=True, editable=False)
    path_end = models.CharField(max_length=255, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["path"]
        indexes = [models.Index(fields=["parent", "path"], name="place_parent_path")]
        constraints = [
            models.CheckConstraint(condition=~Q(path=""), name="place_path_not_empty"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_responsibility_area(self) -> bool:
        return self.kind in RESPONSIBILITY_KINDS

    @property
    def holds_households(self) -> bool:
        return self.kind in HOUSEHOLD_KINDS

    def subtree(self):
        """This place and every place under it: one index range scan."""
        return Place.objects.filter(path__gte=self.path, path__lt=self.path_end)

    def coverage_now(self):
        """Current coverage rows of this area and of the areas under it."""
        return GridCoverage.objects.filter(
            grid__path__gte=self.path, grid__path__lt=self.path_end, valid_to__isnull=True
        )

    def ancestors(self):
        from tongxin.core.tree import ancestor_paths

        return Place.objects.filter(path__in=ancestor_paths(self.path)).order_by("path")


class GridCoverage(models.Model):
    """A responsibility area (area/grid/grid point) covers a physical place, for a while."""

    grid = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="coverage", verbose_name=_("grid"))
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="covered_by", verbose_name=_("place"))
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("grid coverage")
        verbose_name_plural = _("grid coverage")
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "place"], condition=Q(valid_to__isnull=True), name="coverage_current_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="coverage_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["grid", "valid_to"], name="coverage_grid_current")]

    def __str__(self):
        return f"{self.grid} → {self.place}"
