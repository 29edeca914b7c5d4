"""Reporting periods. Periodic reports cut off on the 14th (Nghị định 09/2019/NĐ-CP, Điều 12):
a month runs from the 15th of the month before to the 14th; quarters, half-years and years likewise end on
the 14th of their last month (the year report: 15/12 of the year before to 14/12)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

KINDS = {
    "month": (_("Tháng"), 1, 12),
    "quarter": (_("Quý"), 3, 4),
    "half": (_("6 tháng"), 6, 2),
    "year": (_("Năm"), 12, 1),
}


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int
    start: date
    end: date

    @property
    def label(self):
        name = KINDS[self.kind][0]
        if self.kind == "year":
            return f"{name} {self.year}"
        if self.kind == "half":
            return f"{name} {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"{name} {self.number}/{self.year}"


def period(kind: str, year: int, number: int = 1) -> Period:
    """The period `number` (1-based) of `kind` in `year`, e.g. period("quarter", 2021, 3): 15/06/2021–14/09/2021."""
    if kind not in KINDS:
        raise ValueError(f"unknown period kind {kind!r}")
    _label, months, per_year = KINDS[kind]
    if not 1 <= number <= per_year:
        raise ValueError(f"{kind} number must be 1..{per_year}")
    last_month = number * months
    first_month = last_month - months  # the month before the period's first month; 0 means December before
    start = date(year, first_month, 15) if first_month else date(year - 1, 12, 15)
    return Period(kind=kind, year=year, number=number, start=start, end=date(year, last_month, 14))


def period_containing(kind: str, day: date) -> Period:
    """The period of `kind` that `day` falls in (after the 14th, the next month's period)."""
    months = KINDS[kind][1]
    month, year = day.month, day.year
    if day.day > 14:
        month += 1
        if month == 13:
            month, year = 1, year + 1
    return period(kind, year, (month - 1) // months + 1)


def last_ended(kind: str, day: date) -> Period:
    """The last period of `kind` whose cut-off is before `day`: the one before the period `day` falls in."""
    current = period_containing(kind, day)
    if current.number > 1:
        return period(kind, current.year, current.number - 1)
    return period(kind, current.year - 1, KINDS[kind][2])
