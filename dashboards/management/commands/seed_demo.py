import zlib
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from org import units
from org.models import UnitKind
from reporting.models import ReviewOutcome, ReviewStage, Role
from reporting.services import progress_report, report_review
from tasks.models import Assignment, Task, TaskScope
from tasks.services import plan_tasks_seed

from .seed import pending_reorganisations

DEMO_PASSWORD = "cqdt-demo-2021"

PILOT_MAP = date(2025, 6, 30)  # the last day of the districts

# (username, full name, role, unit: (kind, code, the day the code names it; None: today)) — listed in the README;
# for local use only. Phúc Xá and Quận Ba Đình ended on 30/06/2025: their accounts show the pilot's history;
# Phường Hồng Hà (00097), which took in all of Phúc Xá, is the ward of today.
DEMO_ACCOUNTS = [
    ("admin", "Quản trị hệ thống", None, None),
    ("lanhdao", "Nguyễn Văn Lãnh (lãnh đạo TP, minh hoạ)", Role.CITY_OFFICIAL, None),
    ("vanphong", "Trần Thị Thẩm (VP UBND TP, minh hoạ)", Role.REVIEWER, ("department", "vp-ubnd-tp", None)),
    ("sotuphap", "Lê Văn Pháp (Sở Tư pháp, minh hoạ)", Role.UNIT_STAFF, ("department", "so-tu-phap", None)),
    ("sonoivu", "Phạm Thị Vụ (Sở Nội vụ, minh hoạ)", Role.UNIT_STAFF, ("department", "so-noi-vu", None)),
    (
        "quanbadinh",
        "Hoàng Văn Đình (UBND quận Ba Đình, minh hoạ)",
        Role.UNIT_STAFF,
        ("district", "001", PILOT_MAP),
    ),
    ("phucxa", "Đỗ Thị Xá (UBND phường Phúc Xá, minh hoạ)", Role.UNIT_STAFF, ("ward", "00001", PILOT_MAP)),
    (
        "truongphucxa",
        "Vũ Văn Trưởng (Chủ tịch UBND phường Phúc Xá, minh hoạ)",
        Role.UNIT_HEAD,
        ("ward", "00001", PILOT_MAP),
    ),
    ("hongha", "Ngô Thị Hà (UBND phường Hồng Hà, minh hoạ)", Role.UNIT_STAFF, ("ward", "00097", None)),
    (
        "truonghongha",
        "Bùi Văn Hồng (Chủ tịch UBND phường Hồng Hà, minh hoạ)",
        Role.UNIT_HEAD,
        ("ward", "00097", None),
    ),
]

NOTE = "(Dữ liệu minh hoạ) "

# A task that is NOT in Plan 100: it gives the demo a deadline still ahead, so every status shows.
DEMO_TASK_TITLE = "Nhiệm vụ minh hoạ: rà soát, báo cáo kết quả vận hành mô hình chính quyền đô thị"


def _at(day: date, hour=9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _spread(key: str, n: int) -> int:
    """A stable pseudo-random number in [0, n) per unit, so the demo is the same on every machine."""
    return zlib.crc32(key.encode()) % n


class Command(BaseCommand):
    help = (
        "Create demo accounts (password in the README) and illustrative progress history on the seeded tasks. "
        "For local use only: refused when DEBUG is off. Idempotent; run `seed` first."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with DEBUG on."
            )
        if not Assignment.objects.exists():
            raise CommandError("No tasks yet: run `python manage.py seed` first.")
        pending = pending_reorganisations()
        created = sum(self._account(*spec, map_is_today=not pending) for spec in DEMO_ACCOUNTS)
        if pending:
            # Run before `seed` applies the 2025 reorganisations (as `make run` does), the history is written
            # while the pilot's units exist, so the hand-over then sees what was done; the demo task and today's
            # accounts come with the second run.
            self.stdout.write("the map is not yet today's: the demo task waits for the next run after `seed`")
        else:
            self._demo_task()
        reports = sum(
            self._history(a)
            for a in Assignment.objects.select_related("task", "ward", "district", "department")
        )
        self.stdout.write(f"demo accounts created {created}; progress reports added {reports}")
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Password for every demo account: {DEMO_PASSWORD}"))

    def _demo_task(self):
        if Task.objects.filter(title=DEMO_TASK_TITLE).exists():
            return
        due = timezone.localdate() + timedelta(days=10)
        description = (
            "Nhiệm vụ minh hoạ do dữ liệu demo tạo ra, KHÔNG có trong Kế hoạch 100/KH-UBND; "
            "thời hạn đặt 10 ngày sau ngày tạo dữ liệu demo."
        )
        plan_tasks_seed(
            document_number="100/KH-UBND",
            tasks=[
                {
                    "title": DEMO_TASK_TITLE,
                    "description": description,
                    "lead": "so-noi-vu",
                    "scope": TaskScope.EVERY_DISTRICT_AND_WARD,
                    "given_on": (timezone.localdate() - timedelta(days=14)).isoformat(),
                    "due_on": due.isoformat(),
                    "deadline_is_illustrative": True,
                    "is_illustrative": True,
                }
            ],
        )

    def _account(self, username, full_name, role, unit, *, map_is_today: bool) -> int:
        if User.objects.filter(username=username).exists():
            return 0
        if unit and unit[0] != "department" and unit[2] is None and not map_is_today:
            return 0  # a unit of today's map: made by the run after `seed` has brought the map to today
        last, _, first = full_name.partition(" (")[0].rpartition(" ")
        user = User(username=username, first_name=first, last_name=last, email=f"{username}@demo.cqdt.local")
        if role is None:
            user.is_staff = user.is_superuser = True
        if unit:
            kind, code, day = unit
            setattr(user, kind, units.unit_with_code(units.MODELS[UnitKind(kind)], code, day))
        user.set_password(DEMO_PASSWORD)
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role.value))
        return 1

    def _reporter(self, assignment) -> User:
        """The unit's demo staff account, made on demand (no usable password: it only signs the demo history)."""
        unit = assignment.unit
        kind = assignment.unit_kind.value
        user = User.objects.filter(**{kind: unit}, groups__name=Role.UNIT_STAFF).first()
        if user is None:
            # A code names a unit only within its lifespan: a unit that began on a known day says so.
            since = f"-{unit.valid_from:%Y%m%d}" if getattr(unit, "valid_from", None) else ""
            username = f"demo-{kind}-{unit.code}{since}"
            user = User(username=username, first_name="Cán bộ", last_name=str(unit)[:150])
            setattr(user, kind, unit)
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=Role.UNIT_STAFF.value))
        return user

    def _history(self, assignment) -> int:
        if assignment.updates.exists() or assignment.was_handed_over:
            return 0  # a report now would contradict the hand-over made when its unit ended
        # Only days the assignment existed on, up to today.
        last = min(assignment.ended_on or date.max, timezone.localdate())
        plan = [step for step in self._plan(assignment) if assignment.given_on <= step[0] <= last]
        by = self._reporter(assignment) if plan else None
        reviewer = User.objects.get(username="vanphong")
        for day, percent, note in plan:
            update = progress_report(
                assignment=assignment, by=by, percent=percent, note=NOTE + note, reported_at=_at(day)
            )
            # Only confirmed reports count: the city office confirms each demo report the same afternoon.
            report_review(
                update=update,
                by=reviewer,
                stage=ReviewStage.CITY,
                outcome=ReviewOutcome.APPROVED,
                decided_at=_at(day, 15),
            )
        return len(plan)

    def _plan(self, assignment) -> list[tuple[date, int, str]]:
        """Illustrative reports: most units finish the readiness duty on time, a few late, some still open."""
        due = assignment.due_on
        spread = _spread(str(assignment.unit), 10)
        if assignment.task.is_illustrative:
            today = timezone.localdate()
            if spread < 3:
                return [(today - timedelta(days=3), 100, "Đã gửi báo cáo rà soát.")]
            return [(today - timedelta(days=4), 50, "Đang tổng hợp số liệu.")] if spread < 7 else []
        if assignment.department_id:
            code = assignment.department.code
            if code == "ubnd-tp":
                return [(due, 100, "Đã tổ chức hội nghị triển khai Nghị định 32 sáng 15/04/2021.")]
            if code == "so-tu-phap":
                return [
                    (due - timedelta(days=40), 50, "Đã ban hành kế hoạch tuyên truyền."),
                    (due - timedelta(days=5), 100, "Đã tổ chức tuyên truyền trên báo chí và cơ sở."),
                ]
            return [
                (due - timedelta(days=30), 30, "Đang dự thảo hướng dẫn."),
                (due + timedelta(days=20), 60, "Đã lấy ý kiến các quận, thị xã."),
            ]
        if due.year == 2021:  # readiness by 01/07/2021
            if spread == 0:
                return [
                    (due - timedelta(days=20), 70, "Đang hoàn thiện con dấu, trụ sở."),
                    (due + timedelta(days=6), 100, "Đã sẵn sàng vận hành, chậm so với thời hạn."),
                ]
            return [
                (due - timedelta(days=25 + spread), 60, "Đã kiện toàn tổ chức bộ máy."),
                (due - timedelta(days=1 + spread), 100, "Đã sẵn sàng vận hành mô hình mới."),
            ]
        # stable operation after the reorganisation (illustrative deadline 01/07/2022)
        if spread < 6:
            return [
                (due - timedelta(days=60), 80, "Bộ máy hoạt động ổn định; đang rà soát thủ tục."),
                (due - timedelta(days=10 + spread), 100, "Đã báo cáo sơ kết một năm thí điểm."),
            ]
        if spread < 8:
            return [(due - timedelta(days=60), 50, "Còn vướng mắc về biên chế công chức phường.")]
        return []
