from django.db import models


class PlaceCount(models.Model):
    """A rollup: ``metric`` counted over the physical subtree of ``place``.

    Kept by ``core.counts`` inside the same transaction as the change (households,
    residents, tags), so the tree page reads a handful of rows whatever the data size.
    The raw tables stay the source of truth: ``tongxin counts --rebuild`` recomputes.
    """

    place = models.ForeignKey("core.Place", on_delete=models.CASCADE, related_name="counts")
    metric = models.CharField(max_length=40)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "metric"], name="placecount_unique")]
