"""Shared fixtures: the seeded reference data and the portal's personas.

The reference data (`seed`) is loaded once into the test database; each test runs in a transaction that is
rolled back, so tests see the real 13 districts, 175 wards and Plan 100's tasks and may change them freely.
"""

import os
from datetime import date, datetime, time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from cqdt_portal.lib import versions
from org.models import Department
from plans.models import DocumentKind, LegalDocument
from reporting.models import ReviewOutcome, ReviewStage, Role
from reporting.services import progress_report, report_review, roles_ensure
from tasks.models import Assignment, Task, TaskScope
from tasks.services import assignments_sync
from wards.models import District, Ward

# Beside the checkout (../shared/data), or where SHARED_DATA says (a clone made elsewhere, e.g. in /tmp).
SHARED_DATA = Path(
    os.environ.get("SHARED_DATA") or Path(__file__).resolve().parent.parent.parent / "shared" / "data"
)


def shared_data_path(*parts) -> Path:
    """A file of ../shared/data; skips where the folder is absent (a user's own clone), fails under CI=true."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: CI must run the tests on the shared reference data")
        pytest.skip(
            f"{path} is absent (the shared reference data lives beside the project checkout, or set SHARED_DATA)"
        )
    return path


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # The map as it stood during the pilot; tests of the 2025 changes apply them (fixture `map_until`).
        call_command("seed", "--until", "2024-12-31", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def map_until(db):
    """Apply the reference data's later changes of the map up to a day (inside the test's transaction)."""

    def apply(day: str):
        call_command("seed", "--until", day, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    return apply


def in_a_new_worker():
    """Forget what this process kept of the reference data and the permissions (cqdt_portal/lib/versions.py): the
    next request reads them as the first request of a new worker does. The query-count tests measure that case,
    the most queries a page runs; later requests of a worker run fewer."""
    versions.forget()


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test():
    """Every test starts as in a new process: the queries it counts do not depend on which tests ran before."""
    versions.forget()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real passwords; in tests it only slows every login down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username, role: Role | None = None, **unit) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@example.test", password=None, **unit
    )
    if role is not None:
        roles_ensure()
        user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def city_official(db):
    return make_user("lanhdao", Role.CITY_OFFICIAL)


@pytest.fixture
def reviewer(db):
    return make_user("vanphong", Role.REVIEWER, department=Department.objects.get(code="vp-ubnd-tp"))


@pytest.fixture
def dept_staff(db):
    return make_user("sotuphap", Role.UNIT_STAFF, department=Department.objects.get(code="so-tu-phap"))


@pytest.fixture
def other_dept_staff(db):
    return make_user("sonoivu", Role.UNIT_STAFF, department=Department.objects.get(code="so-noi-vu"))


@pytest.fixture
def district_staff(db):
    return make_user("quanbadinh", Role.UNIT_STAFF, district=District.objects.get(code="001"))


@pytest.fixture
def ward_staff(db):
    return make_user("phucxa", Role.UNIT_STAFF, ward=Ward.objects.get(code="00001"))


@pytest.fixture
def unit_head(db):
    return make_user("truongphucxa", Role.UNIT_HEAD, ward=Ward.objects.get(code="00001"))


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("quantri", "quantri@example.test", None)


PERSONAS = [
    "city_official",
    "reviewer",
    "dept_staff",
    "other_dept_staff",
    "district_staff",
    "ward_staff",
    "unit_head",
    "admin_user",
]


# --- Hand-counted progress on top of the seeded plan ------------------------------------------------

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
    city_office = make_user("xacnhan")
    readiness = Task.objects.get(title__startswith=READINESS)

    def report_and_confirm(assignment, day, percent, note):
        # Only a report the city office confirms moves the assignment (the review rule).
        update = progress_report(
            assignment=assignment, by=staff, percent=percent, note=note, reported_at=at(day)
        )
        report_review(
            update=update, by=city_office, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED,
            decided_at=at(day, 15),
        )  # fmt: skip

    for code, day, percent in (("00001", date(2021, 6, 30), 100), ("00004", date(2021, 7, 5), 100),
                               ("00006", date(2021, 6, 20), 50)):  # fmt: skip
        report_and_confirm(
            Assignment.objects.get(task=readiness, ward__code=code),
            day,
            percent,
            "Đã xong." if percent == 100 else "",
        )
    report_and_confirm(
        Assignment.objects.get(department__code="so-tu-phap"), date(2021, 6, 25), 100, "Đã tuyên truyền."
    )
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
        given_on=decision.issued_on, due_on=date(2021, 9, 30), is_illustrative=True,
    )  # fmt: skip
    assignments_sync(task=task)
    return decision


# --- Reporting: more personas, the assignments they act on, sample files -----------------------------------


@pytest.fixture
def other_ward_staff(db):
    """Staff of Phường Trúc Bạch: another ward of the same district as Phúc Xá."""
    return make_user("trucbach", Role.UNIT_STAFF, ward=Ward.objects.get(code="00004"))


@pytest.fixture
def other_district_staff(db):
    return make_user("quanhoankiem", Role.UNIT_STAFF, district=District.objects.get(code="002"))


@pytest.fixture
def ward_assignment(db):
    """Phúc Xá's readiness duty (due 01/07/2021), as seeded."""
    from tasks.models import Assignment

    return Assignment.objects.get(task__title__startswith="Sẵn sàng vận hành", ward__code="00001")


@pytest.fixture
def dept_assignment(db):
    from tasks.models import Assignment

    return Assignment.objects.get(department__code="so-tu-phap")


@pytest.fixture
def district_assignment(db):
    from tasks.models import Assignment

    return Assignment.objects.get(task__title__startswith="Sẵn sàng vận hành", district__code="001")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded evidence goes to a temporary MEDIA_ROOT, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def db_state(*assignments) -> tuple:
    """Everything a write could change: the history tables' rows and the assignments' progress fields."""
    from reporting.models import Evidence, ExtensionDecision, ExtensionRequest, ProgressUpdate, ReportReview
    from tasks.models import Assignment

    counts = tuple(
        m.objects.count()
        for m in (ProgressUpdate, ReportReview, Evidence, ExtensionRequest, ExtensionDecision)
    )
    rows = tuple(
        Assignment.objects.filter(pk__in=[a.pk for a in assignments])
        .order_by("pk")
        .values_list("percent", "completed_on", "due_on", "original_due_on", "version", "last_reported_at")
    )
    return counts, rows
