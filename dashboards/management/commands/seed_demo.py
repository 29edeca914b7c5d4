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

DEMO_PASSWORD = "cqdt-demo-2021"

# (username, full name, role, unit) — listed in the README; for local use only.
DEMO_ACCOUNTS = [
    ("admin", "Quản trị hệ thống", None, None),
    ("lanhdao", "Nguyễn Văn Lãnh (lãnh đạo TP, minh hoạ)", Role.CITY_OFFICIAL, None),
    ("vanphong", "Trần Thị Thẩm (VP UBND TP, minh hoạ)", Role.REVIEWER, ("department", "vp-ubnd-tp")),
    ("sotuphap", "Lê Văn Pháp (Sở Tư pháp, minh hoạ)", Role.UNIT_STAFF, ("department", "so-tu-phap")),
    ("sonoivu", "Phạm Thị Vụ (Sở Nội vụ, minh hoạ)", Role.UNIT_STAFF, ("department", "so-noi-vu")),
    ("quanbadinh", "Hoàng Văn Đình (UBND quận Ba Đình, minh hoạ)", Role.UNIT_STAFF, ("district", "001")),
    ("phucxa", "Đỗ Thị Xá (UBND phường Phúc Xá, minh hoạ)", Role.UNIT_STAFF, ("ward", "00001")),
    (
        "truongphucxa",
        "Vũ Văn Trưởng (Chủ tịch UBND phường Phúc Xá, minh hoạ)",
        Role.UNIT_HEAD,
        ("ward", "00001"),
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
        created = sum(self._account(*spec) for spec in DEMO_ACCOUNTS)
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
                    "due_on": due.isoformat(),
                    "deadline_is_illustrative": True,
                    "is_illustrative": True,
                }
            ],
        )

    def _account(self, username, full_name, role, unit) -> int:
        if User.objects.filter(username=username).exists():
            return 0
        last, _, first = full_name.partition(" (")[0].rpartition(" ")
        user = User(username=username, first_name=first, last_name=last, email=f"{username}@demo.cqdt.local")
        if role is None:
            user.is_staff = user.is_superuser = True
        if unit:
            kind, code = unit
            model = units.MODELS[UnitKind(kind)]
            setattr(user, kind, model.objects.get(code=code))
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
            user = User(username=f"demo-{kind}-{unit.code}", first_name="Cán bộ", last_name=str(unit)[:150])
            setattr(user, kind, unit)
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=Role.UNIT_STAFF.value))
        return user

    def _history(self, assignment) -> int:
        if assignment.updates.exists():
            return 0
        plan = self._plan(assignment)
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
