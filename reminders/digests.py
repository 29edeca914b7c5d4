"""The lines of the reminder mails (the daily digest and a chase): each reminder as the mail shows it, read for
many mails in a few queries and written once, for the text body and, escaped, for the HTML body.

The daily run sends thousands of lines (6,644 in 181 digests on the benchmark's busiest day). Read as five
model instances each and rendered line by line through the templates, a line cost about 0.5 ms, most of the
run; here it costs about 15 µs. The templates keep each mail's frame (emails/reminder_digest_*,
emails/chase_*, emails/_reminders_table.html); a line reads exactly as the templates wrote it.
"""

import html
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from org import units
from tasks.models import Assignment

from .models import Reminder, ReminderKind
from .selectors import reminders_delivered

# The order of a mail's sections: the most pressing first.
KIND_ORDER = [
    ReminderKind.CHASE,
    ReminderKind.ESCALATION,
    ReminderKind.OVERDUE,
    ReminderKind.DUE,
    ReminderKind.BEFORE_DUE,
]

# The assignment page's address is built once with this id, then each line's id takes its place (a reverse()
# per line cost more than the rest of the line).
_URL_PROBE = 987_654_321_987

_FIELDS = (
    "pk",
    "assignment_id",
    "kind",
    "days_to_due",
    "sent_on",
    "assignment__task__title",
    "assignment__task__deadline_is_illustrative",
    "assignment__due_on",
    "assignment__department_id",
    "assignment__district_id",
    "assignment__ward_id",
    "recipient__department_id",
    "recipient__district_id",
    "recipient__ward_id",
)

_CELL = '<td style="padding: 4px; border-bottom: 1px solid #eef1f5;">'
_DEADLINE_CELL = '<td style="padding: 4px; border-bottom: 1px solid #eef1f5; white-space: nowrap;">'


@dataclass
class Line:
    """One reminder of a mail: an assignment, why and how late, and the reminders of its delay before."""

    pk: int
    assignment_id: int
    kind: str
    days_to_due: int
    sent_on: date
    title: str
    illustrative: bool
    due_on: date
    unit: object
    url: str
    delivered: list[date] = field(default_factory=list)


class DigestReader:
    """Reads the lines of reminder mails and keeps them for the run: one query for the rows, one per kind of unit
    for the units' names, and one per day for the reminders delivered before it.

    The daily run reads every unsent row up front (`read`); a mail asks for the rows it claimed (`lines`), and a
    row not read yet (claimed by this run after the read) is read then, so what a mail says never depends on
    what was read ahead.
    """

    def __init__(self):
        self._lines: dict[int, Line] = {}
        self._units: dict[tuple[str, int], object] = {}
        self._delivered: dict[date, dict[int, list[date]]] = {}
        self._asked: dict[date, set[int]] = {}
        prefix, suffix = Assignment(pk=_URL_PROBE).get_absolute_url().split(str(_URL_PROBE))
        self._url_prefix, self._url_suffix = settings.SITE_URL + prefix, suffix

    def read(self, rows: QuerySet[Reminder]) -> None:
        found = list(rows.order_by().values_list(*_FIELDS))
        keys = set()
        for row in found:
            keys.add(units.key_from_ids(department=row[8], district=row[9], ward=row[10]))
            if any(row[11:14]):
                keys.add(units.key_from_ids(department=row[11], district=row[12], ward=row[13]))
        self._units |= units.units_by_key(keys - self._units.keys())
        for pk, assignment_id, kind, days, sent_on, title, illustrative, due_on, *unit_ids in found:
            key = units.key_from_ids(department=unit_ids[0], district=unit_ids[1], ward=unit_ids[2])
            self._lines[pk] = Line(
                pk=pk,
                assignment_id=assignment_id,
                kind=kind,
                days_to_due=days,
                sent_on=sent_on,
                title=title,
                illustrative=illustrative,
                due_on=due_on,
                unit=self._units[key],
                url=f"{self._url_prefix}{assignment_id}{self._url_suffix}",
            )

    def unit(self, member) -> object:
        """The unit of a user (every recipient of a mail has one), read with the lines."""
        key = member.unit_key
        if key not in self._units:
            self._units |= units.units_by_key([key])
        return self._units[key]

    def lines(self, ids: list[int], day: date) -> list[Line]:
        """The lines of the rows `ids` of `day`, each with the days a reminder of its delay reached the unit
        before `day` (selectors.reminders_delivered). The run sends the digests day by day, so the days read for
        the first mail of a day hold for every mail of that day."""
        missing = [pk for pk in ids if pk not in self._lines]
        if missing:
            self.read(Reminder.objects.filter(pk__in=missing))
        lines = [self._lines[pk] for pk in ids]
        asked = self._asked.setdefault(day, set())
        if any(line.assignment_id not in asked for line in lines):
            todo = {line.assignment_id for line in self._lines.values() if line.sent_on == day} - asked
            todo |= {line.assignment_id for line in lines} - asked
            self._delivered.setdefault(day, {}).update(reminders_delivered(todo, before=day))
            asked |= todo
        delivered = self._delivered.get(day, {})
        for line in lines:
            line.delivered = delivered.get(line.assignment_id, [])
        return lines


def sections(lines: list[Line]) -> list[dict]:
    """The mail's sections, most pressing first, each with its lines written for the text body ("text") and the
    HTML table ("rows"). Call it in the mail's language (translation.override)."""
    lines = sorted(lines, key=lambda line: (KIND_ORDER.index(line.kind), line.due_on, line.assignment_id))
    writer = _Writer()
    found = []
    for kind in KIND_ORDER:
        items = [line for line in lines if line.kind == kind]
        if items:
            found.append(
                {
                    "kind": kind,
                    "label": kind.label,
                    "reminders": items,
                    "text": "".join(writer.text(line) for line in items),
                    "rows": mark_safe("".join(writer.row(line) for line in items)),  # escaped by the writer
                }
            )
    return found


def _day(day: date) -> str:
    # As the templates' date:"d/m/Y".
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


class _Writer:
    """Writes lines as the templates did, for one mail: the words translated once, not once per line.

    In the HTML, everything from the data is escaped as the templates' autoescape did (html.escape is what
    Django's escape calls), and so are the words of a {% translate %}; a {% blocktranslate %} message is not.
    """

    def __init__(self):
        self.unit_label = _("Đơn vị thực hiện")
        self.deadline_label = _("Thời hạn")
        self.illustrative_text = _("Thời hạn minh hoạ: do cổng đặt, không có trong văn bản gốc.")
        self.illustrative_html = f"<br><em>{html.escape(_('thời hạn minh hoạ'))}</em>"
        self.due_today = _("đến hạn hôm nay")
        self._deadlines: dict[int, str] = {}

    def deadline(self, days_to_due: int) -> str:
        if days_to_due not in self._deadlines:
            if days_to_due > 0:
                said = ngettext("còn %(counter)s ngày", "còn %(counter)s ngày", days_to_due)
                self._deadlines[days_to_due] = said % {"counter": days_to_due}
            elif days_to_due == 0:
                self._deadlines[days_to_due] = self.due_today
            else:
                said = ngettext("quá hạn %(counter)s ngày", "quá hạn %(counter)s ngày", -days_to_due)
                self._deadlines[days_to_due] = said % {"counter": -days_to_due}
        return self._deadlines[days_to_due]

    def text(self, line: Line) -> str:
        text = (
            f"\n- {line.title}\n  {self.unit_label}: {line.unit}\n"
            f"  {self.deadline_label}: {_day(line.due_on)} — {self.deadline(line.days_to_due)}\n"
        )
        if line.illustrative:
            text += f"  {self.illustrative_text}\n"
        if line.delivered:
            count = len(line.delivered)
            said = ngettext("Đã nhắc %(counter)s lần", "Đã nhắc %(counter)s lần", count) % {"counter": count}
            text += f"  {said}: {', '.join(_day(d) for d in line.delivered)}\n"
        return f"{text}  {line.url}\n"

    def row(self, line: Line) -> str:
        deadline = self.deadline(line.days_to_due)
        if line.days_to_due == 0:
            deadline = html.escape(deadline)
        elif line.days_to_due < 0:
            deadline = f"<strong>{deadline}</strong>"
        if line.illustrative:
            deadline += self.illustrative_html
        if line.delivered:
            count = len(line.delivered)
            said = ngettext("đã nhắc %(counter)s lần", "đã nhắc %(counter)s lần", count) % {"counter": count}
            days = ", ".join(_day(d) for d in line.delivered)
            deadline += f'<br><span style="color: #55606e;">{said}: {days}</span>'
        return (
            f'\n    <tr>\n      {_CELL}<a href="{html.escape(line.url)}">{html.escape(line.title)}</a></td>\n'
            f"      {_CELL}{html.escape(str(line.unit))}</td>\n"
            f"      {_DEADLINE_CELL}{_day(line.due_on)}<br>{deadline}</td>\n    </tr>\n  "
        )
