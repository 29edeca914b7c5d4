"""Bad input never gets a server error: the paths the independent test broke, each reproduced, and generated
input over every page's and the API's query parameters and over import cells (NUL, huge, unicode)."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.models import Task, TaskImport
from wards.models import WardImport

TASK_HEADER = ["Văn bản", "Mục", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Phạm vi"]
TASK_ROW = ["100/KH-UBND", "II.1", "Rà soát quy chế (minh hoạ)", "so-noi-vu", "", "30/09/2021", "mọi phường"]
WARD_HEADER = ["Mã", "Tên", "Cấp", "Mã QH", "Quận Huyện"]
WARD_ROW = ["00001", "Phường Phúc Xá", "Phường", "001", "Quận Ba Đình"]


@pytest.mark.parametrize(
    "url",
    [
        "/ma-tran-phuong/?district=%00",
        "/ma-tran-phuong/tai-ve.csv?district=%00",
        "/don-vi/phuong/%00/",
        "/don-vi/so/%00/",
        "/don-vi/quan/%00/",
        "/quan/%00/cac-phuong/",
        "/dia-ban/%00/",
        "/giao-viec/?ward=%00&district=%00",
        "/api/wards/?code=%00",
        "/api/districts/?code=%00",
        "/api/assignments/?ward=%00",
    ],
)
def test_a_nul_byte_in_a_unit_code_is_not_found_or_ignored(db, client, city_official, url):
    client.force_login(city_official)
    assert client.get(url).status_code in (200, 400, 404)


def test_ordering_the_task_api_by_overdue_units_as_its_schema_advertises(db, client, city_official):
    client.force_login(city_official)
    response = client.get("/api/tasks/", {"order": "-overdue"})
    assert response.status_code == 200 and response.json()["count"] == Task.objects.count()
    assert client.get("/api/tasks/", {"order": "overdue"}).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/giao-viec/",
        "/giao-viec/tai-ve.csv",
        "/giao-viec/tai-ve.xlsx",
        "/tong-hop/",
        "/",
        "/api/assignments/",
    ],
)
@pytest.mark.parametrize("as_of", ["0001-01-01", "01/01/0001", "0001-01-02", "9999-12-31"])
def test_as_of_at_the_ends_of_the_calendar_with_stale_days(db, client, city_official, url, as_of):
    client.force_login(city_official)
    response = client.get(url, {"as_of": as_of, "stale_days": "3650"})
    assert response.status_code in (200, 400), (url, as_of)


def csv_file(header, row, cell_index, cell):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerow(row)
    bad = list(row)
    bad[cell_index] = cell
    writer.writerow(bad)
    return buffer.getvalue().encode()


IMPORTS = [
    ("admin:tasks_task_import", TASK_HEADER, TASK_ROW, 2, TaskImport),
    ("admin:wards_ward_import", WARD_HEADER, WARD_ROW, 1, WardImport),
]


@pytest.mark.parametrize("url_name, header, row, column, model", IMPORTS)
@pytest.mark.parametrize(
    "cell",
    ["x" * 131_073, "tên\x00", "🙂" * 40_000],
    ids=["over-131072", "nul", "emoji"],
)
def test_an_import_with_a_huge_or_nul_cell_is_refused_with_a_message(
    db, client, admin_user, url_name, header, row, column, model, cell
):
    client.force_login(admin_user)
    data = {"file": SimpleUploadedFile("danh-sach.csv", csv_file(header, row, column, cell))}
    if url_name == "admin:wards_ward_import":
        data.update(province_code="01", effective_on="2024-12-31")
    response = client.post(reverse(url_name), data)
    assert response.status_code in (200, 302)
    if (
        response.status_code == 302
    ):  # accepted for preview: the preview opens, and confirming it does not fail
        assert client.get(response.url).status_code == 200
        assert client.post(response.url).status_code < 500
    else:
        assert "errorlist" in response.text or "errornote" in response.text


def test_a_task_list_with_a_nul_byte_after_its_first_2_kb_is_refused_and_writes_nothing(
    db, client, admin_user
):
    rows = [[*TASK_ROW[:2], f"Nhiệm vụ thử {i:02d} (minh hoạ)", *TASK_ROW[3:]] for i in range(40)]
    rows.append([*TASK_ROW[:2], "Nhiệm vụ có ký tự\x00lạ", *TASK_ROW[3:]])
    buffer = io.StringIO()
    csv.writer(buffer).writerows([TASK_HEADER, *rows])
    content = buffer.getvalue().encode()
    assert content.index(b"\x00") > 2048
    client.force_login(admin_user)
    before = Task.objects.count()
    response = client.post(
        reverse("admin:tasks_task_import"), {"file": SimpleUploadedFile("kh.csv", content)}
    )
    if response.status_code == 302:
        client.post(response.url)  # confirming the preview, as an admin would
    assert response.status_code == 200 and "NUL" in response.text
    assert Task.objects.count() == before and not TaskImport.objects.exists()


cell_text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50).map(lambda s: s + "\x00" + s),
    st.sampled_from(["\x00", "x" * 140_000, "=1+1", "🙂" * 1000, "\ufeff", "\u202e"]),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=st.integers(0, len(TASK_HEADER) - 1), cell=cell_text)
def test_generated_import_cells_never_break_the_task_import(db, client, admin_user, column, cell):
    client.force_login(admin_user)
    before = Task.objects.count()
    data = {"file": SimpleUploadedFile("ke-hoach.csv", csv_file(TASK_HEADER, TASK_ROW, column, cell))}
    response = client.post(reverse("admin:tasks_task_import"), data)
    assert response.status_code in (200, 302)
    assert Task.objects.count() == before


PAGE_PARAMS = ["q", "as_of", "document", "lead", "unit_kind", "department", "district", "ward", "status",
               "stale_days", "due_from", "due_to", "completed_from", "completed_to", "escalated", "order", "page",
               "task", "scope", "kind", "year", "number", "period", "ky", "cot", "code"]  # fmt: skip
hostile = st.one_of(
    st.text(max_size=100),
    st.sampled_from(
        ["\x00", "%00", "0001-01-01", "01/01/0001", "9999-12-31", "-1", "1e309", "overdue", "-due"]
    ),
    st.integers(-(10**18), 10**18).map(str),
    st.dates(min_value=date(1, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
)
READ_PAGES = [
    "/", "/tong-hop/", "/giao-viec/", "/giao-viec/tai-ve.csv", "/ma-tran-phuong/", "/bao-cao-ky/", "/nhiem-vu/",
    "/van-ban/", "/dia-ban/", "/don-vi/", "/dia-ban/001/", "/don-vi/phuong/00001/", "/quan/001/cac-phuong/",
    "/bao-cao/cho-xem-xet/", "/api/assignments/", "/api/tasks/", "/api/wards/", "/api/districts/",
    "/api/documents/", "/api/departments/",
]  # fmt: skip


# 20 pages per example: 15 examples keep it under 20 s of the suite.
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(PAGE_PARAMS), hostile, max_size=5))
def test_generated_query_parameters_never_give_a_server_error_on_any_read_page(
    db, client, admin_user, params
):
    client.force_login(admin_user)
    for url in READ_PAGES:
        status = client.get(url, params).status_code
        assert status < 500, (url, params, status)


@pytest.mark.parametrize("value", ["î", "maybe", "2"])
def test_a_yes_no_filter_refuses_anything_but_yes_or_no(client, city_official, value):
    # Read as "either", a misspelt value would show every row to someone who asked for some.
    client.force_login(city_official)
    api = client.get("/api/assignments/", {"escalated": value})
    assert api.status_code == 400 and "escalated" in api.json()
    page = client.get(reverse("tasks:assignment_list"), {"escalated": value})
    assert page.status_code == 200 and "Chọn “có” hoặc “không”." in page.content.decode()
    for ok in ("true", "false", ""):
        assert client.get("/api/assignments/", {"escalated": ok}).status_code == 200


def test_the_api_refuses_a_filter_value_with_a_nul_byte_and_says_which(db, client, city_official):
    # Dropped silently, the filter would answer for every unit: a script that asked for some would not know.
    client.force_login(city_official)
    response = client.get("/api/districts/?kind=quan%00&as_of=2021-07-01")
    assert response.status_code == 400 and response.json() == {"kind": ["Không được chứa ký tự NUL."]}
