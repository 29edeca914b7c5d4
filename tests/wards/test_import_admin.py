"""The admin's journey: upload → preview → confirm, in the Django admin, in Vietnamese."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from tasks.models import Assignment
from tests.conftest import shared_data_path
from tests.wards.builders import PLAIN_HEADER, plain_rows_2021, snapshot, write_csv
from wards.models import Ward, WardChange, WardImport

UPLOAD_URL = reverse("admin:wards_ward_import")


def upload(client, path, **fields):
    data = {"province_code": "01", "effective_on": "2021-06-01", **fields}
    data["file"] = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(UPLOAD_URL, data)


@pytest.fixture
def changed_list(tmp_path):
    """Vĩnh Phúc (00006) is missing; a new phường 00170 appears in Cầu Giấy."""
    rows = [r for r in plain_rows_2021() if r[3] != "00006"]
    rows.append(["005", "Cầu Giấy", "Quận", "00170", "Cầu Giấy Mới", "Phường"])
    return write_csv(tmp_path / "danh_muc_moi.csv", PLAIN_HEADER, rows)


def test_the_ward_list_has_an_import_button(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:wards_ward_changelist"))
    assert response.status_code == 200
    assert UPLOAD_URL.encode() in response.content
    assert "Nhập danh mục từ tệp" in response.text


def test_admin_uploads_previews_and_confirms_a_ward_list(client, admin_user, changed_list):
    client.force_login(admin_user)
    assert "Tải lên và xem trước" in client.get(UPLOAD_URL).text

    response = upload(client, changed_list)
    ward_import = WardImport.objects.get()
    preview_url = reverse("admin:wards_ward_import_preview", args=[ward_import.pk])
    assert response.status_code == 302 and response.url == preview_url
    assert ward_import.uploaded_by == admin_user
    assert ward_import.state == WardImport.State.PREVIEWED

    preview = client.get(preview_url)
    assert preview.status_code == 200
    text = preview.text
    assert "Cầu Giấy Mới" in text and "Vĩnh Phúc" in text
    assert "phường thôi tồn tại" in text and "Xác nhận nhập" in text
    assert preview.context["counts"]["created"] == 1
    assert preview.context["counts"]["new_assignments"] == 2
    assert preview.context["counts"]["awaiting_decision"] == 2  # Vĩnh Phúc's open duties, before a choice
    assert "Chờ quyết định của thành phố" in text or "chờ quyết định của thành phố" in text
    assert Ward.objects.get(code="00006").valid_to is None  # nothing written before the confirmation

    response = client.post(preview_url, {"successors_00006": ["00001", "00007"]})
    assert response.status_code == 302 and response.url == reverse("admin:wards_ward_changelist")
    vinh_phuc = Ward.objects.get(code="00006")
    assert vinh_phuc.valid_to == datetime.date(2021, 5, 31)
    assert sorted(s.successor.code for s in vinh_phuc.successions.all()) == ["00001", "00007"]
    assert Assignment.objects.filter(ward__code="00170").count() == 2
    kept = Assignment.objects.filter(ward=vinh_phuc)
    assert kept.count() == 2 and all(a.was_handed_over for a in kept)  # kept, ended as handed over
    assert Assignment.objects.filter(handed_over_from__in=kept).distinct().count() == 4
    ward_import.refresh_from_db()
    assert ward_import.state == WardImport.State.APPLIED and ward_import.applied_at is not None
    assert WardChange.objects.filter(ward_import=ward_import).count() == 2
    followed = client.get(response.url)
    assert "Đã nhập danh mục danh_muc_moi.csv" in followed.text

    # The same preview cannot be applied twice.
    assert client.post(preview_url).status_code == 404


def test_the_real_xls_changes_nothing_and_says_so(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, shared_data_path("wards", "hanoi_2021-02_gso.xls"))
    preview = client.get(response.url)
    assert "không thay đổi gì" in preview.text
    assert preview.context["counts"]["unchanged"] == 175
    assert preview.context["counts"]["out_of_scope"] == 404


def test_refused_rows_are_listed_with_their_row_number_and_cannot_be_confirmed(client, admin_user, tmp_path):
    rows = plain_rows_2021()
    rows[4][3] = "12"  # a short code is padded, not refused
    rows[5][3] = "ABCDE"
    path = write_csv(tmp_path / "sai.csv", PLAIN_HEADER, rows)
    client.force_login(admin_user)
    preview = client.get(upload(client, path).url)
    assert "Dòng bị từ chối" in preview.text
    assert "Mã phường “ABCDE” không hợp lệ (cần 5 chữ số)." in preview.text
    assert [(r["row"], r["reason"][:8]) for r in preview.context["summary"]["refused"]] == [(7, "Mã phườn")]
    assert "Xác nhận nhập" not in preview.text
    before = snapshot("wards")
    response = client.post(preview.wsgi_request.path)
    assert response.status_code == 200
    assert "dòng bị từ chối" in response.text
    assert snapshot("wards") == before


def test_an_unreadable_file_is_refused_on_the_upload_form(client, admin_user, tmp_path):
    path = tmp_path / "loi.xls"
    path.write_text("<html><body>Lỗi máy chủ</body></html>", encoding="utf-8")
    client.force_login(admin_user)
    response = upload(client, path)
    assert response.status_code == 200
    assert "trang web (HTML)" in response.text
    assert not WardImport.objects.exists()


def test_a_file_over_the_limit_is_refused_on_the_upload_form(client, admin_user, changed_list, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(admin_user)
    response = upload(client, changed_list)
    assert "Tệp quá lớn" in response.text
    assert not WardImport.objects.exists()


def test_another_admin_cannot_confirm_someone_elses_upload(client, admin_user, changed_list):
    client.force_login(admin_user)
    preview_url = upload(client, changed_list).url
    other = User.objects.create_superuser("quantri2", "q2@example.test", None)
    client.force_login(other)
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url).status_code == 404
    assert Ward.objects.get(code="00006").valid_to is None


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(UPLOAD_URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_other_methods_are_not_allowed(client, admin_user):
    client.force_login(admin_user)
    assert client.put(UPLOAD_URL).status_code == 405


def test_staff_without_ward_permissions_are_refused(client, city_official):
    city_official.is_staff = True
    city_official.save(update_fields=["is_staff"])
    client.force_login(city_official)
    assert client.get(UPLOAD_URL).status_code == 403


def test_the_import_log_is_visible_and_read_only(client, admin_user, changed_list):
    client.force_login(admin_user)
    upload(client, changed_list)
    response = client.get(reverse("admin:wards_wardimport_changelist"))
    assert response.status_code == 200 and "danh_muc_moi.csv" in response.text
    assert client.get(reverse("admin:wards_wardimport_add")).status_code == 403
    assert client.get(reverse("admin:wards_wardchange_changelist")).status_code == 200


def test_a_retired_wards_assignments_stay_visible_and_are_marked(client, admin_user, changed_list):
    client.force_login(admin_user)
    preview_url = upload(client, changed_list).url
    client.post(preview_url)
    readiness = Assignment.objects.get(ward__code="00006", task__due_on="2021-07-01").task
    page = client.get(reverse("tasks:task_detail", args=[readiness.pk]) + "?page=1")
    assert page.status_code == 200
    ward_page = client.get(reverse("tasks:unit_detail", args=["phuong", "00006"]))
    assert "Đơn vị đã thôi tồn tại sau ngày 31/05/2021" in ward_page.text
    assert "đến hết 31/05/2021" in ward_page.text
    assert len(ward_page.context["page"]) == 2
    assert ward_page.text.count("đã chuyển giao</span>") == 2


def _every_kind_of_change(rows, *, missing):
    rows = [r for r in rows if r[3] not in missing]
    for r in rows:
        if r[3] == "00001":
            r[4] = "Phúc Xá Mới"
        if r[3] == "00004":
            r[:3] = ["003", "Tây Hồ", "Quận"]
    return [
        *rows,
        ["007", "Hai Bà Trưng", "Quận", "00250", "Thanh Nhàn Mới", "Phường"],  # an ended ward's code, reused
        ["016", "Mê Linh", "Quận", "09001", "Tiền Phong", "Phường"],
    ]


def test_the_preview_shows_every_kind_of_change(client, admin_user, tmp_path):
    rows = _every_kind_of_change(plain_rows_2021(), missing={"00006"})
    path = write_csv(tmp_path / "moi.csv", PLAIN_HEADER, rows)
    client.force_login(admin_user)
    preview = client.get(upload(client, path).url)
    text = preview.text
    for expected in ["Thêm mới: Quận Mê Linh", "Tiền Phong", "Phúc Xá Mới", "Chuyển quận", "Quận Tây Hồ"]:
        assert expected in text
    assert "Thanh Nhàn Mới" in text and "Chưa rõ đơn vị kế thừa" in text
    assert 'name="successors_00006"' in text
    assert preview.context["counts"] | {"unchanged": 0} == {
        "districts_created": 1,
        "districts_renamed": 0,
        "districts_ended": 0,
        "created": 2,
        "renamed": 1,
        "moved": 1,
        "retired": 1,
        "successions": 0,
        "unchanged": 0,
        "refused": 0,
        "out_of_scope": 0,
        "new_assignments": 2 + 2 + 2,  # the two new phường and the new district
        "handed_over": 0,
        "awaiting_decision": 2,
    }


@pytest.mark.parametrize(
    "missing", [{"00006"}, {f"{c:05d}" for c in range(6, 35)} & {r[3] for r in plain_rows_2021()}]
)
def test_the_preview_page_runs_a_fixed_number_of_queries(
    client, admin_user, tmp_path, django_assert_max_num_queries, missing
):
    path = write_csv(
        tmp_path / "moi.csv", PLAIN_HEADER, _every_kind_of_change(plain_rows_2021(), missing=missing)
    )
    client.force_login(admin_user)
    url = upload(client, path).url
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert len(response.context["form"].fields) == len(missing)


def test_a_wards_admin_page_shows_its_recorded_history(client, admin_user, changed_list):
    client.force_login(admin_user)
    client.post(upload(client, changed_list).url)
    vinh_phuc = Ward.objects.get(code="00006")
    page = client.get(reverse("admin:wards_ward_change", args=[vinh_phuc.pk]))
    assert page.status_code == 200
    assert "Thôi tồn tại" in page.text and "01/06/2021" in page.text
