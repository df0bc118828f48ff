"""Test helpers for demands and the apps that read them."""

import pytest


@pytest.fixture(autouse=True)
def catalogues(request):
    """The catalogues and the holiday calendar come with data migrations; a transactional test
    that ran earlier on the same worker flushes them, so they are put back where a test finds
    them gone. Import it into a conftest to use it there."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    from tongxin.core import holidays
    from tongxin.core.models import CalendarDay
    from tongxin.demands.catalogue import ensure_seeded
    from tongxin.demands.models import ErrandItem

    if not ErrandItem.objects.exists():
        ensure_seeded()
    if not CalendarDay.objects.exists():
        holidays.seed(CalendarDay)


def file_report(place, **fields):
    """A report as a resident's request files it, then taken in as the intake task does it
    next (``services.take_in``): the demand as staff and the indicators see it."""
    from tongxin.demands import services

    demand = services.report(place, **fields)
    services.take_in(demand.pk)
    demand.refresh_from_db()
    return demand
