"""Publishing a community's monthly ranking (光荣榜): the figures as they stand, names masked,
kept as published (a late record does not change a ranking already on the notice board)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from tongxin.core.errors import RefusedError
from tongxin.volunteering import activity_rules as rules
from tongxin.volunteering.models import PublishedRanking
from tongxin.volunteering.selectors.ledger import ranking


@transaction.atomic
def publish_ranking(community, month: datetime.date, *, by) -> PublishedRanking:
    """Publish ``month`` (any day in it) for ``community``; once per month."""
    start, end = rules.period_bounds("month", month.year, month.month)
    if PublishedRanking.objects.filter(community=community, month=start).exists():
        raise RefusedError("ranking_published", "这个月的排行榜已经发布过了",
                           "This month's ranking was already published")
    rows = ranking(community, start, end)
    try:
        with transaction.atomic():
            return PublishedRanking.objects.create(community=community, month=start, rows=rows, published_by=by)
    except IntegrityError:
        raise RefusedError("ranking_published", "这个月的排行榜已经发布过了",
                           "This month's ranking was already published") from None
