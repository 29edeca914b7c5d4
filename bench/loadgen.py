"""An illustrative plan at city scale (and beyond), for benchmarks: never the real plan.

`load_generate(scale="M")` adds, on top of the seeded wards, districts and departments, a set of illustrative
documents (numbers prefixed "MH-", marked "minh hoạ"), their tasks (is_illustrative=True, titles prefixed
TITLE_PREFIX), one assignment per unit and a progress history per assignment with dates from 2021 to today.
Each assignment's percent, completed_on and last_reported_at are those of its latest report, exactly as
services.progress_report would have left them.

Shape at scale M (S is a tenth, L ten times): 3,000 tasks; 130 given to every ward (175 each, about a third of
the assignments), the rest to every district and their lead department (90 %) or to two to five departments;
about 60,000 assignments and 600,000 progress updates. The brief's "a third go to every ward" is read as a third
of the assignments: a third of the tasks × 175 wards alone would be 175,000 assignments, not ≈ 60,000.

Rows are written with COPY on PostgreSQL (ids reserved from the tables' sequences first), with bulk_create
elsewhere (SQLite, for the tests), in one transaction.
"""

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from org.models import Department
from plans.models import DocumentKind, LegalDocument
from reporting.models import ProgressUpdate, ReportReview, ReviewOutcome, ReviewStage, Role
from tasks.models import Assignment, Task, TaskScope
from wards.models import District, Ward

TITLE_PREFIX = "[Minh hoạ tải] "
DOCUMENT_PREFIX = "MH-"
USER_PREFIX = "loadgen-"
SCALES = {"XS": 30, "S": 300, "M": 3000, "L": 30000}
FIRST_DAY = date(2021, 3, 1)
BATCH = 5000

# Words of real plan duties, combined so that titles read like the plan and the diacritics search has work to do.
VERBS = ["Rà soát", "Triển khai", "Xây dựng", "Hoàn thiện", "Kiện toàn", "Tổ chức", "Đánh giá", "Báo cáo"]
OBJECTS = [
    "thủ tục hành chính về đất đai", "bộ máy UBND phường", "quy chế phối hợp với công an phường",
    "cơ sở dữ liệu dân cư", "dịch vụ công trực tuyến mức độ 4", "biên chế công chức phường",
    "trật tự xây dựng đô thị", "vệ sinh môi trường, thu gom rác thải", "chuyển đổi số trong quản lý đô thị",
    "tiếp công dân và giải quyết khiếu nại", "quản lý vỉa hè, lòng đường", "an toàn phòng cháy chữa cháy",
]  # fmt: skip
SUFFIXES = ["năm 2021", "giai đoạn 2021–2025", "theo Nghị định 32/2021/NĐ-CP", "đợt 2", "sau sắp xếp"]


@dataclass
class Counts:
    documents: int = 0
    tasks: int = 0
    assignments: int = 0
    updates: int = 0
    users: int = 0


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(7, 17), rng.randint(0, 59))))


def _reserve_ids(model, n: int) -> list[int]:
    """n fresh primary keys: from the table's sequence on PostgreSQL, after the largest one elsewhere."""
    if n == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 — a model's own table
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + n))


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).translate(COPY_ESCAPES)


def _insert(model, fields: list[str], rows: list[tuple]):
    """Insert rows (with their ids) with COPY on PostgreSQL, bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        columns = [model._meta.get_field(f).column for f in fields]
        for start in range(0, len(rows), 100_000):
            buffer = io.StringIO()
            for row in rows[start : start + 100_000]:
                buffer.write("\t".join(map(_copy_value, row)) + "\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_expert(
                    f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)",
                    buffer,
                )
    else:
        names = [model._meta.get_field(f).attname for f in fields]
        model.objects.bulk_create([model(**dict(zip(names, row, strict=True))) for row in rows], BATCH)


def _reporters(units: list[tuple[str, object]]) -> tuple[dict, int]:
    """One illustrative staff account per unit (no usable password) to sign the generated reports."""
    staff_group = Group.objects.get_or_create(name=Role.UNIT_STAFF.value)[0]
    wanted = {f"{USER_PREFIX}{kind}-{unit.code}": (kind, unit) for kind, unit in units}
    existing = {u.username: u for u in User.objects.filter(username__in=wanted)}
    new = []
    for username, (kind, unit) in wanted.items():
        if username not in existing:
            user = User(username=username, first_name="Cán bộ (minh hoạ)", last_name=str(unit)[:150])
            setattr(user, kind, unit)
            user.set_unusable_password()
            new.append(user)
    User.objects.bulk_create(new, BATCH)
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    staff_group.user_set.add(*[users[u.username] for u in new])
    return {(kind, unit.pk): users[name].pk for name, (kind, unit) in wanted.items()}, len(new)


def _history(rng: random.Random, start: date, due: date, today: date):
    """(reports [(day, percent, completed_on)], final completed_on) for one assignment.

    Reports stop the day before `today`, so that none lies in the future whatever the hour now.
    """
    today = today - timedelta(days=1)
    # Fates in the shares the city reports show: most done on time, some late, some still open.
    fate = rng.random()
    completed = None
    if fate < 0.58:
        completed = max(start + timedelta(days=7), due - timedelta(days=rng.randint(0, 90)))
    elif fate < 0.75:
        completed = due + timedelta(days=rng.randint(1, 150))
    if completed is not None and completed > today:
        completed = None
    end = completed or min(today, due + timedelta(days=rng.randint(0, 240)))
    first = start + timedelta(days=rng.randint(3, 30))
    if end <= first:
        first = end
    n = rng.randint(4, 16)
    span = (end - first).days
    days = sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(n - 1))
    top = 100 if completed else rng.randint(10, 95)
    percents = sorted(rng.randint(0, top - 1 if completed else top) for _ in range(n - 1))
    reports = [(day, pct, None) for day, pct in zip(days, percents, strict=True)]
    reports.append((end, top, completed))
    return reports, completed


@transaction.atomic
def load_generate(*, scale: str, seed: int = 7, today: date | None = None) -> Counts:
    """Add an illustrative plan of the given scale (see the module's docstring). Needs `seed` to have run."""
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}; choose one of {', '.join(SCALES)}.")
    today = today or timezone.localdate()
    rng = random.Random(f"{seed}-{scale}")
    n_tasks = SCALES[scale]
    n_ward_tasks = max(1, n_tasks * 13 // 300)
    # The units of the map the database holds today (the pilot's, when `seed --until` stopped it before 2025).
    departments = list(Department.objects.existing_on(today).order_by("code"))
    wards = list(Ward.objects.existing_on(today).filter(kind="phuong").order_by("code"))
    districts = list(District.objects.existing_on(today).filter(wards__in=wards).distinct().order_by("code"))
    parent = LegalDocument.objects.filter(number="100/KH-UBND").first()
    if not departments or not wards or parent is None:
        raise ValueError("No reference data: run `python manage.py seed` first.")
    counts = Counts()

    # Documents: one illustrative plan per half-year from 2021, implementing Plan 100.
    run = LegalDocument.objects.filter(number__startswith=DOCUMENT_PREFIX).count()
    documents = []
    for i, year_half in enumerate(range(2021 * 2, 2026 * 2 + 1)):
        year, half = divmod(year_half, 2)
        documents.append(
            LegalDocument.objects.create(
                number=f"{DOCUMENT_PREFIX}{run + i + 1:03d}/KH-UBND",
                kind=DocumentKind.PLAN,
                issuer="UBND thành phố Hà Nội (minh hoạ)",
                issued_on=date(year, 1 + 6 * half, 15),
                title=f"Kế hoạch minh hoạ số {run + i + 1} (dữ liệu tải thử, không có thật)",
                summary="Văn bản minh hoạ do lệnh generate_load tạo ra để đo hiệu năng; không phải kế hoạch thật.",
                implements=parent,
            )
        )
    documents = [d for d in documents if d.issued_on <= today]
    counts.documents = len(documents)

    # Tasks: every-ward ones spread over the run, the others to districts or departments.
    task_ids = _reserve_ids(Task, n_tasks)
    ward_task_at = set(rng.sample(range(n_tasks), n_ward_tasks))
    task_rows, plan = [], []
    for i, task_id in enumerate(task_ids):
        document = documents[i % len(documents)]
        due = document.issued_on + timedelta(days=rng.randint(60, 900))
        lead = rng.choice(departments)
        if i in ward_task_at:
            scope = TaskScope.EVERY_WARD
            units = [("ward", w) for w in wards]
        elif rng.random() < 0.9:
            scope = TaskScope.EVERY_DISTRICT
            units = [("department", lead)] + [("district", d) for d in districts]
        else:
            scope = TaskScope.UNITS
            units = [("department", d) for d in rng.sample(departments, rng.randint(2, 5))]
        title = f"{TITLE_PREFIX}{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(SUFFIXES)} (số {i + 1})"
        task_rows.append(
            (task_id, document.pk, f"Mục {i % 40 + 1}", title, "Nhiệm vụ minh hoạ, không có trong kế hoạch thật.",
             lead.pk, "", "", scope, document.issued_on, due, True, True, _at(document.issued_on, rng))
        )  # fmt: skip
        plan.append((task_id, document.issued_on, due, units))
    _insert(
        Task,
        ["id", "document", "section", "title", "description", "lead_department", "lead_label",
         "coordination_note", "scope", "given_on", "due_on", "deadline_is_illustrative", "is_illustrative",
         "created_at"],
        task_rows,
    )  # fmt: skip
    counts.tasks = len(task_rows)

    reporters, counts.users = _reporters(
        [("department", d) for d in departments] + [("district", d) for d in districts]
        + [("ward", w) for w in wards]
    )  # fmt: skip

    # Only reports the city office confirmed move an assignment: every generated report is confirmed,
    # an hour after it was made, by one illustrative reviewer.
    reviewer, _created = User.objects.get_or_create(
        username=f"{USER_PREFIX}reviewer", defaults={"first_name": "Văn phòng (minh hoạ)"}
    )
    review_delay = timedelta(hours=1)

    # Assignments and their histories, computed together so each row agrees with its latest report; written
    # in chunks so that scale L never holds its six million reports in memory at once.
    assignment_rows, update_rows = [], []

    def flush():
        ids = _reserve_ids(Assignment, len(assignment_rows))
        _insert(
            Assignment,
            ["id", "task", "department", "district", "ward", "given_on", "due_on", "original_due_on", "percent",
             "completed_on", "last_reported_at", "version", "created_at"],
            [(pk, *row) for pk, row in zip(ids, assignment_rows, strict=True)],
        )  # fmt: skip
        update_ids = _reserve_ids(ProgressUpdate, len(update_rows))
        _insert(
            ProgressUpdate,
            ["id", "assignment", "author", "reported_at", "percent", "note", "completed_on", "outgoing_number",
             "outgoing_date", "needs_head_approval"],
            [(pk, ids[row[0]], *row[1:], False) for pk, row in zip(update_ids, update_rows, strict=True)],
        )  # fmt: skip
        review_ids = _reserve_ids(ReportReview, len(update_rows))
        _insert(
            ReportReview,
            ["id", "update", "stage", "outcome", "reason", "reviewer", "decided_at"],
            [(rid, uid, ReviewStage.CITY.value, ReviewOutcome.APPROVED.value, "", reviewer.pk, row[2] + review_delay)
             for rid, uid, row in zip(review_ids, update_ids, update_rows, strict=True)],
        )  # fmt: skip
        counts.assignments += len(assignment_rows)
        counts.updates += len(update_rows)
        assignment_rows.clear()
        update_rows.clear()

    for task_id, start, task_due, units in plan:
        for kind, unit in units:
            pk = len(assignment_rows)  # its place in this chunk; the real id is reserved at flush()
            # One deadline in ten was extended by a later decision.
            due = task_due + timedelta(days=rng.randint(30, 180)) if rng.random() < 0.1 else task_due
            reports, completed = _history(rng, start, due, today)
            author = reporters[(kind, unit.pk)]
            last_at = None
            for day, percent, completed_on in reports:
                # Strictly later than the previous report, so the latest report is the last one written.
                at = _at(day, rng)
                last_at = at if last_at is None or at > last_at else last_at + timedelta(minutes=1)
                note = "Đã hoàn thành (minh hoạ)." if percent == 100 else f"Đạt {percent}% (minh hoạ)."
                update_rows.append((pk, author, last_at, percent, note, completed_on, "", None))
            assignment_rows.append(
                (task_id, unit.pk if kind == "department" else None, unit.pk if kind == "district" else None,
                 unit.pk if kind == "ward" else None, start, due, task_due, reports[-1][1], completed, last_at,
                 len(reports), _at(start, rng))
            )  # fmt: skip
        if len(update_rows) >= 200_000:
            flush()
    flush()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Task, Assignment, ProgressUpdate, ReportReview):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return counts
