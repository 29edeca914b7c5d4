"""Evidence is served under a name whose extension is that of the type found in its content, as an attachment."""

import pytest
from django.urls import reverse

from reporting.models import Evidence
from tests.conftest import PDF_BYTES, PNG_BYTES, upload


def post_report(client, assignment, files):
    data = {"percent": "50", "note": "Kèm kế hoạch.", "version": str(assignment.version), "evidence": files}
    return client.post(reverse("reporting:progress_create", args=[assignment.pk]), data)


@pytest.mark.parametrize(
    "uploaded, content, served",
    [
        ("ke-hoach.bat", PDF_BYTES, "ke-hoach.bat.pdf"),
        ("ke-hoach.hta", PDF_BYTES, "ke-hoach.hta.pdf"),
        ("ke-hoach.html", PDF_BYTES, "ke-hoach.html.pdf"),
        ("ke-hoach", PDF_BYTES, "ke-hoach.pdf"),
        ("Ke-Hoach.PDF", PDF_BYTES, "Ke-Hoach.PDF"),
        ("anh-hien-truong.jpeg.exe", PNG_BYTES, "anh-hien-truong.jpeg.exe.png"),
    ],
)
def test_evidence_reaches_reviewers_with_the_extension_of_its_checked_type(
    client, ward_staff, reviewer, ward_assignment, uploaded, content, served
):
    client.force_login(ward_staff)
    assert post_report(client, ward_assignment, [upload(uploaded, content)]).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == served

    client.force_login(reviewer)
    page = client.get(reverse("reporting:assignment_detail", args=[ward_assignment.pk])).content.decode()
    assert served in page
    response = client.get(reverse("reporting:evidence_download", args=[evidence.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="{served}"'
    assert response["Content-Type"] == ("application/pdf" if content == PDF_BYTES else "image/png")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_stored_before_under_its_uploaders_name_is_served_with_its_checked_extension(
    client, ward_staff, reviewer, ward_assignment
):
    client.force_login(ward_staff)
    post_report(client, ward_assignment, [upload("ke-hoach.pdf", PDF_BYTES)])
    Evidence.objects.update(original_name="ke-hoach.hta")  # as the portal stored it until now
    client.force_login(reviewer)
    response = client.get(reverse("reporting:evidence_download", args=[Evidence.objects.get().pk]))
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach.hta.pdf"'
