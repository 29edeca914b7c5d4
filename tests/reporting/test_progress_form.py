"""The progress form: bad input is refused next to its field and writes nothing; stale forms keep the input;
evidence is checked by content, stored under a generated name and served only through an access check."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from reporting.models import Evidence, ProgressUpdate
from reporting.services import StaleVersion, progress_report
from tests.conftest import PDF_BYTES, PNG_BYTES, db_state, upload


def post_report(client, assignment, **fields):
    data = {"percent": "50", "note": "Đang triển khai.", "version": str(assignment.version), **fields}
    return client.post(reverse("reporting:progress_create", args=[assignment.pk]), data)


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active["A1"] = "Kết quả rà soát"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_ward_staff_report_with_a_pdf_and_the_file_is_stored_under_a_generated_name(
    client, ward_staff, ward_assignment, media_root
):
    client.force_login(ward_staff)
    response = post_report(
        client,
        ward_assignment,
        percent="60",
        outgoing_number="15/BC-UBND",
        outgoing_date=timezone.localdate().isoformat(),
        evidence=[upload("Biên bản ../../họp.pdf", PDF_BYTES), upload("bang.xlsx", xlsx_bytes())],
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.percent, update.outgoing_number, update.author) == (60, "15/BC-UBND", ward_staff)
    files = list(update.evidence.order_by("pk"))
    assert [f.extension for f in files] == ["pdf", "xlsx"]
    assert files[0].content_type == "application/pdf"
    assert "/" not in files[0].original_name and ".." not in files[0].original_name.split(".")[0]
    for f in files:
        assert f.file.name.startswith("evidence/") and f.original_name not in f.file.name
        assert (media_root / f.file.name).exists()
    ward_assignment.refresh_from_db()
    assert ward_assignment.version == 1 and ward_assignment.last_reported_at is not None


def test_evidence_is_downloaded_through_the_access_check_only(
    client, ward_staff, city_official, ward_assignment
):
    client.force_login(ward_staff)
    post_report(client, ward_assignment, evidence=[upload("bienban.pdf", PDF_BYTES)])
    evidence = Evidence.objects.get()

    client.force_login(city_official)
    response = client.get(reverse("reporting:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]

    client.logout()
    response = client.get(reverse("reporting:evidence_download", args=[evidence.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get("/media/" + evidence.file.name).status_code in (302, 404)
    client.force_login(city_official)
    assert client.get("/media/" + evidence.file.name).status_code == 404


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"percent": "101"}, "percent", "Tiến độ phải từ 0 đến 100%."),
        ({"percent": "-5"}, "percent", "Tiến độ phải từ 0 đến 100%."),
        ({"percent": "năm mươi"}, "percent", "Tiến độ là một số nguyên"),
        ({"percent": ""}, "percent", "Cần nhập tiến độ"),
        (
            {"percent": "100", "note": "  "},
            "note",
            "Báo cáo hoàn thành cần có nội dung hoặc tài liệu kèm theo.",
        ),
        (
            {"outgoing_number": "1/BC", "outgoing_date": "FUTURE"},
            "outgoing_date",
            "Ngày không được sau hôm nay.",
        ),
        ({"percent": "100", "completed_on": "FUTURE"}, "completed_on", "Ngày không được sau hôm nay."),
        (
            {"percent": "60", "completed_on": "2021-06-01"},
            "completed_on",
            "Chỉ ghi ngày hoàn thành khi tiến độ",
        ),
        ({"evidence": "DISGUISED"}, "evidence", "không phải PDF, Word, Excel hay ảnh"),
        ({"evidence": "TEXT"}, "evidence", "không phải PDF, Word, Excel hay ảnh"),
        ({"evidence": "OVERSIZED"}, "evidence", "vượt mức tối đa"),
    ],
)
def test_bad_input_gets_a_message_next_to_its_field_and_writes_nothing(
    client, settings, ward_staff, ward_assignment, media_root, fields, field, message
):
    settings.EVIDENCE_MAX_BYTES = 1024
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    fields = {k: future if v == "FUTURE" else v for k, v in fields.items()}
    if fields.get("evidence") == "DISGUISED":  # a Windows program renamed to .pdf
        fields["evidence"] = upload("baocao.pdf", b"MZ\x90\x00\x03" + b"\x00" * 600, "application/pdf")
    elif fields.get("evidence") == "TEXT":
        fields["evidence"] = upload("baocao.docx", "chỉ là chữ".encode() * 10)
    elif fields.get("evidence") == "OVERSIZED":
        fields["evidence"] = upload("lon.pdf", PDF_BYTES + b"0" * 2048, "application/pdf")
    client.force_login(ward_staff)
    before = db_state(ward_assignment)

    response = post_report(client, ward_assignment, **fields)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and 'aria-invalid="true"' in page
    assert db_state(ward_assignment) == before
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_done_report_with_evidence_and_no_note_is_accepted(client, ward_staff, ward_assignment):
    client.force_login(ward_staff)
    response = post_report(
        client, ward_assignment, percent="100", note="", evidence=[upload("a.png", PNG_BYTES)]
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().completed_on == timezone.localdate()


def test_too_many_files_are_refused(client, settings, ward_staff, ward_assignment):
    settings.EVIDENCE_MAX_FILES = 2
    client.force_login(ward_staff)
    before = db_state(ward_assignment)
    response = post_report(
        client, ward_assignment, evidence=[upload(f"{i}.pdf", PDF_BYTES) for i in range(3)]
    )
    assert response.status_code == 200 and "tối đa 2 tệp" in response.context["form"].errors["evidence"][0]
    assert db_state(ward_assignment) == before


def test_second_submit_on_a_stale_form_is_refused_with_the_input_kept(
    client, ward_staff, unit_head, ward_assignment
):
    # Both open the form at version 0; the head submits first.
    stale_version = ward_assignment.version
    progress_report(
        assignment=ward_assignment, by=unit_head, percent=70, note="Báo cáo của trưởng.", expected_version=0
    )
    before = db_state(ward_assignment)
    client.force_login(ward_staff)

    response = post_report(
        client, ward_assignment, percent="65", note="Nội dung dài của cán bộ.", version=str(stale_version)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "CHƯA được lưu" in page and "nội dung đã nhập vẫn giữ nguyên" in page
    assert 'value="65"' in page and "Nội dung dài của cán bộ." in page
    assert db_state(ward_assignment) == before
    # The form now carries the version it was shown at: a deliberate second submit goes through.
    assert response.context["form"].data["version"] == "1"
    assert (
        post_report(client, ward_assignment, percent="65", note="Nội dung.", version="1").status_code == 302
    )
    assert ProgressUpdate.objects.count() == 2


def test_service_refuses_a_stale_version_and_keeps_no_file(ward_staff, ward_assignment, media_root):
    from reporting.evidence import evidence_check

    progress_report(assignment=ward_assignment, by=ward_staff, percent=10, note="Một.")
    with pytest.raises(StaleVersion):
        progress_report(
            assignment=ward_assignment,
            by=ward_staff,
            percent=20,
            note="Hai.",
            evidence=[evidence_check(upload("a.pdf", PDF_BYTES))],
            expected_version=0,
        )
    assert ProgressUpdate.objects.count() == 1 and not Evidence.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))
