"""The scope walker's requests for the meetings' pages (``core.scopewalker``)."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    """A series and its meeting at building 2 (grid B), with the marker in their titles, an
    invited grid-B resident, a decision, an overdue action item and a file; and a published
    meeting there whose public page may name only its place. Grid A's roles must neither see
    nor change them."""
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tongxin.core.models import Person
    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.meetings.models import (
        ActionItem,
        AgendaItem,
        Decision,
        Invitation,
        Meeting,
        MeetingSeries,
        MinutesFile,
    )

    b2 = world.places["b2"]
    person = Person.objects.filter(home_path__gte=b2.path, home_path__lt=b2.path_end).order_by("pk").first()
    series = MeetingSeries.objects.create(title=f"{OUTSIDE_MARKER}联席会", kind="three_party", place=b2,
                                          place_path=b2.path, frequency="monthly", starts_on=datetime.date(2026, 1, 1),
                                          day=10, time=datetime.time(15))
    held = timezone.now() - datetime.timedelta(days=20)
    meeting = Meeting.objects.create(series=series, title=f"{OUTSIDE_MARKER}联席会", kind="three_party", place=b2,
                                     place_path=b2.path, starts_at=held, state="held",
                                     minutes=f"{OUTSIDE_MARKER}纪要")
    invitation = Invitation.objects.create(meeting=meeting, person=person)
    AgendaItem.objects.create(meeting=meeting, title=f"{OUTSIDE_MARKER}议题")
    decision = Decision.objects.create(meeting=meeting, text=f"{OUTSIDE_MARKER}决定")
    action = ActionItem.objects.create(decision=decision, meeting=meeting, series=series, place_path=b2.path,
                                       title=f"{OUTSIDE_MARKER}事项", owner_person=person,
                                       deadline=timezone.localdate() - datetime.timedelta(days=3))
    stored = MinutesFile.objects.create(meeting=meeting, file=ContentFile(b"\xff\xd8\xff", name="m.jpg"),
                                        name="m.jpg", content_type="image/jpeg")
    published = Meeting.objects.create(title="院落议事", kind="courtyard", place=b2, place_path=b2.path,
                                       starts_at=held, state="held", published_at=timezone.now())
    Decision.objects.create(meeting=published, text="加装路灯")
    pk = meeting.pk
    return [
        Probe("meetings-series"),
        Probe("meetings-series", query=f"place={b2.pk}"),
        Probe("meetings-series", method="post", data={
            "title": "xx会", "kind": "other", "place": str(b2.pk), "frequency": "monthly", "day": "5",
            "time": "15:00"}),
        Probe("meetings-series-detail", {"pk": series.pk}),
        Probe("meetings-meeting-new"),
        Probe("meetings-meeting-new", method="post", data={
            "title": "xx会", "kind": "other", "place": str(b2.pk), "starts_at": "2026-06-01T15:00"}),
        Probe("meetings-meeting", {"pk": pk}),
        Probe("meetings-meeting", {"pk": pk}, method="post", data={"op": "agenda", "title": "xx"}),
        Probe("meetings-meeting", {"pk": pk}, method="post",
              data={"op": "attendance", f"att-{invitation.pk}": "absent"}),
        Probe("meetings-meeting", {"pk": pk}, method="post", data={"op": "minutes", "minutes": "xx"}),
        Probe("meetings-meeting", {"pk": pk}, method="post", data={"op": "decision", "text": "xx"}),
        Probe("meetings-meeting", {"pk": pk}, method="post", data={"op": "publish"}),
        Probe("meetings-file", {"pk": pk, "file_pk": stored.pk}),
        Probe("meetings-public", {"token": published.public_token}, public=True),
        Probe("meetings-overdue"),
        Probe("meetings-overdue", query=f"place={b2.pk}"),
        Probe("meetings-my-actions"),
        Probe("meetings-my-actions", query="closed=1"),
        Probe("meetings-action", {"pk": action.pk}),
        Probe("meetings-action", {"pk": action.pk}, method="post", data={"status": "done", "note": "done"}),
    ]
