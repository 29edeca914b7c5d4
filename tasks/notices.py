"""What the plan's side tells people: a unit was given an assignment, or received one handed over by a unit
that ended. Called by the services in their transaction; a fixed number of queries however many assignments."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from notifications.models import NotificationKind
from notifications.selectors import people_of_units
from notifications.services import Event, notifications_send

from .models import Assignment

UNIT_FIELDS = ["department", "district", "ward"]


def _current(assignments: list[Assignment]) -> tuple[list[Assignment], dict]:
    """The assignments still running today (a unit is not told of work of a past it never had), with the
    people of their units; none at all, without a query more, when their units have nobody (seeding)."""
    people = people_of_units({a.unit_key for a in assignments})
    if not people:
        return [], {}
    current = (
        Assignment.objects.existing_on(timezone.localdate())
        .filter(pk__in=[a.pk for a in assignments])
        .select_related("task__document", *UNIT_FIELDS)
        .order_by("pk")
    )
    return [a for a in current if a.unit_key in people], people


def assignments_given(assignments: list[Assignment]) -> None:
    assignments, people = _current(assignments)
    notifications_send(
        events=[
            (Event(
                kind=NotificationKind.ASSIGNMENT_GIVEN,
                key=f"assignment_given:{a.pk}",
                title=_("Nhiệm vụ mới của đơn vị: %(task)s") % {"task": Truncator(a.task.title).chars(120)},
                body=_("%(unit)s được giao nhiệm vụ theo %(document)s; thời hạn %(due)s.")
                % {"unit": a.unit, "document": a.task.document,
                   "due": a.due_on.strftime("%d/%m/%Y")},
                link=a.get_absolute_url(),
            ), people.get(a.unit_key, []))
            for a in assignments
        ]
    )  # fmt: skip


def assignments_received(received: dict[Assignment, list[Assignment]]) -> None:
    """Tell each receiving unit of the work handed over to it ({receiving assignment: what it took over})."""
    assignments, people = _current(list(received))
    given_by = {a.pk: sorted(taken, key=lambda s: s.pk) for a, taken in received.items()}
    events = []
    for a in assignments:
        sources = given_by[a.pk]
        events.append(
            (Event(
                kind=NotificationKind.HANDED_OVER,
                key=(f"handed_over:{a.pk}:" + "-".join(str(s.pk) for s in sources))[:100],
                title=_("Đơn vị nhận chuyển giao nhiệm vụ: %(task)s")
                % {"task": Truncator(a.task.title).chars(120)},
                body=_("Nhận từ %(units)s (đã chuyển giao ngày %(day)s); thời hạn %(due)s.")
                % {"units": ", ".join(str(s.unit) for s in sources),
                   "day": (sources[0].ended_on + timedelta(days=1)).strftime("%d/%m/%Y"),
                   "due": a.due_on.strftime("%d/%m/%Y")},
                link=a.get_absolute_url(),
            ), people.get(a.unit_key, []))
        )  # fmt: skip
    notifications_send(events=events)
