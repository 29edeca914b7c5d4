from datetime import date, datetime, time

import pytest
from django.utils import timezone

from plans.models import DocumentKind, LegalDocument
from tasks.models import Assignment, Task, TaskScope
from tasks.services import assignments_sync, progress_report
from tests.conftest import make_user

READINESS = "Sẵn sàng vận hành"


def at(day: date, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def reported(db):
    """Hand-counted progress on top of the seeded plan (no other reports exist):

    - Phường Phúc Xá (00001) completed the readiness duty on 30/06/2021 (on time);
    - Phường Trúc Bạch (00004) completed it on 05/07/2021 (late);
    - Phường Vĩnh Phúc (00006) reported 50 % on 20/06/2021 and nothing since;
    - Sở Tư pháp completed its duty on 25/06/2021 (due 30/06/2021: on time).
    """
    staff = make_user("baocao")
    readiness = Task.objects.get(title__startswith=READINESS)
    for code, day, percent in (("00001", date(2021, 6, 30), 100), ("00004", date(2021, 7, 5), 100),
                               ("00006", date(2021, 6, 20), 50)):  # fmt: skip
        progress_report(
            assignment=Assignment.objects.get(task=readiness, ward__code=code),
            by=staff, percent=percent, note="Đã xong." if percent == 100 else "", reported_at=at(day),
        )  # fmt: skip
    progress_report(
        assignment=Assignment.objects.get(department__code="so-tu-phap"),
        by=staff, percent=100, note="Đã tuyên truyền.", reported_at=at(date(2021, 6, 25)),
    )  # fmt: skip
    return staff


@pytest.fixture
def decision_under_plan(db):
    """A Quyết định that implements Plan 100, with one task for every ward: the chain's fourth level."""
    plan = LegalDocument.objects.get(number="100/KH-UBND")
    decision = LegalDocument.objects.create(
        number="9999/QĐ-UBND", kind=DocumentKind.DECISION, issuer="UBND thành phố Hà Nội",
        issued_on=date(2021, 5, 1), title="Quyết định minh hoạ (test)", implements=plan,
    )  # fmt: skip
    task = Task.objects.create(
        document=decision, title="Nhiệm vụ thử nghiệm cho mọi phường", scope=TaskScope.EVERY_WARD,
        due_on=date(2021, 9, 30), is_illustrative=True,
    )  # fmt: skip
    assignments_sync(task=task)
    return decision
