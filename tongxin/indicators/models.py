"""Rollups of the demand indicators (``docs/indicators.md``).

:class:`DailyFigures` holds, per statistical unit (a grid, else a community or village),
category and day, the counters the rates are made of. Two cohorts share a row: the
``report``-day counters count the demands *reported* that day; the ``due_*`` counters count
the demands whose resolution deadline *falls* that day (结案率 and 按期结案率 are measured
against what fell due). Every place above a unit sums its units by path range.
:class:`MonthlyFigures` holds the same sums by month, for the dashboard's trend.

:class:`DemandTally` is what one demand adds to the rollups now, so that the next step on
the demand can apply the difference (``indicators.rollups``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The counters of a rollup row, in the order of ``docs/indicators.md``.
REPORT_COUNTERS = (
    "received", "merged", "counted", "anonymous", "rejected", "accepted", "responded", "responded_on_time",
    "resolved", "resolved_first_time", "resolved_ever", "reworked", "extended", "escalated", "rated",
    "satisfied", "resolve_seconds",
)
DUE_COUNTERS = ("due", "due_closed", "due_closed_on_time", "due_suspended")
COUNTERS = REPORT_COUNTERS + DUE_COUNTERS


class Counters(models.Model):
    """The counters a rollup row holds (see ``REPORT_COUNTERS`` and ``DUE_COUNTERS``)."""

    unit = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, editable=False)
    category = models.ForeignKey("demands.Category", on_delete=models.PROTECT, related_name="+")
    received = models.IntegerField(default=0)
    merged = models.IntegerField(default=0)
    counted = models.IntegerField(default=0)
    anonymous = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    responded_on_time = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_first_time = models.IntegerField(default=0)
    resolved_ever = models.IntegerField(default=0)
    reworked = models.IntegerField(default=0)
    extended = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    resolve_seconds = models.BigIntegerField(default=0)
    due = models.IntegerField(default=0)
    due_closed = models.IntegerField(default=0)
    due_closed_on_time = models.IntegerField(default=0)
    due_suspended = models.IntegerField(default=0)


    class Meta:
        abstract = True


class DailyFigures(Counters):
    day = models.DateField()

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(fields=["unit", "category", "day"], name="indicators_daily_one_row"),
        ]
        indexes = [models.Index(fields=["unit_path", "day"], name="indicators_daily_path_day")]

    def __str__(self):
        return f"{self.unit_path} {self.category_id} {self.day}"


class MonthlyFigures(Counters):
    """The same counters summed by month (``month`` is its first day), kept beside the daily
    rows so that a year's trend reads twelve rows per unit and category, not 365: the
    dashboard's cost then follows the tree, not the number of demands."""

    month = models.DateField()

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["unit", "category", "month"], name="indicators_monthly_one_row"),
        ]
        indexes = [models.Index(fields=["unit_path", "month"], name="indicators_monthly_path_month")]

    def __str__(self):
        return f"{self.unit_path} {self.category_id} {self.month}"


class DemandTally(models.Model):
    """What one demand currently adds to :class:`DailyFigures`: a list of
    ``[unit_id, unit_path, category_id, "YYYY-MM-DD", {counter: n}]``."""

    demand = models.OneToOneField("demands.Demand", on_delete=models.CASCADE, primary_key=True, related_name="+")
    rows = models.JSONField(default=list)
