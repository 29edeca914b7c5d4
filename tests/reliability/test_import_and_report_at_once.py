"""A ward-list import and a progress report on a ward the import changes, at the same moment: both land (or one
waits for the other), and nobody ever sees half an import. PostgreSQL only (real parallel connections)."""

import datetime
import threading

import pytest

from reporting.models import ProgressUpdate, Role
from reporting.services import progress_report
from tasks import services as tasks_services
from tasks.models import Assignment
from tasks.services import ward_list_apply, ward_list_stage
from tests.conftest import make_user
from tests.reliability.conftest import run_together
from tests.wards.builders import PLAIN_HEADER, plain_rows_2021, write_csv
from wards.models import Ward, WardChange, WardImport

pytestmark = pytest.mark.postgres

ON = datetime.date(2021, 3, 1)
WAIT = (
    20  # seconds the import holds its transaction open for the report; reached only if the report must wait
)


def ward_list_with_changes() -> list[list[str]]:
    """The 2021 list with Phúc Xá renamed and a new phường in Cầu Giấy."""
    rows = [r if r[3] != "00001" else [*r[:4], "Phúc Xá Mới", r[5]] for r in plain_rows_2021()]
    return [*rows, ["005", "Cầu Giấy", "Quận", "00170", "Cầu Giấy Mới", "Phường"]]


def test_a_ward_import_and_a_report_at_the_same_time_both_land_and_no_one_sees_half_an_import(
    parallel_db, tmp_path, monkeypatch
):
    staff = make_user("phucxa", Role.UNIT_STAFF, ward=Ward.objects.get(code="00001"))
    assignment = Assignment.objects.get(task__title__startswith="Sẵn sàng vận hành", ward__code="00001")
    path = write_csv(tmp_path / "dvhc.csv", PLAIN_HEADER, ward_list_with_changes())
    ward_import, _ = ward_list_stage(
        file_name=path.name, content=path.read_bytes(), province_code="01", effective_on=ON
    )
    import_written = threading.Event()  # the import has written everything but not committed yet
    report_done = threading.Event()
    seen_during_import = {}

    give_new_units_their_tasks = tasks_services.assignments_sync_all

    def hold_import_open():
        # The import's last write, inside its transaction: the report now runs against an open import.
        added = give_new_units_their_tasks()
        import_written.set()
        seen_during_import["report_finished_first"] = report_done.wait(timeout=WAIT)
        return added

    def apply_import():
        return ward_list_apply(ward_import=ward_import)

    def report():
        assert import_written.wait(timeout=60), "the import never reached its writes"
        update = progress_report(
            assignment=Assignment.objects.get(pk=assignment.pk), by=staff, percent=40, note="Đang triển khai."
        )
        # Read from this connection while the import is still open: all of the old ward list, none of the new.
        seen_during_import["wards"] = (
            Ward.objects.get(code="00001").name,
            Ward.objects.filter(code="00170").exists(),
        )
        report_done.set()
        return update

    monkeypatch.setattr(tasks_services, "assignments_sync_all", hold_import_open)
    applied, update = run_together([apply_import, report])

    assert not isinstance(applied, BaseException), applied
    assert isinstance(update, ProgressUpdate), update
    # The report does not wait for the import: they lock different rows (assignment vs. district and wards).
    assert seen_during_import["report_finished_first"] is True
    assert seen_during_import["wards"] == ("Phúc Xá", False)
    # Both landed, whole.
    assert ProgressUpdate.objects.filter(
        pk=update.pk, assignment=assignment, note="Đang triển khai."
    ).exists()
    assignment.refresh_from_db()
    assert assignment.version == 1 and assignment.ward.name == "Phúc Xá Mới"
    ward_import.refresh_from_db()
    assert ward_import.state == WardImport.State.APPLIED
    assert sorted(
        WardChange.objects.filter(ward_import=ward_import).values_list("ward__code", flat=True)
    ) == [
        "00001",
        "00170",
    ]
    assert Assignment.objects.filter(ward__code="00170").count() == 2  # Plan 100's two "every ward" duties
