"""The read-only API: the same filters and rows as the pages, authentication, and a valid OpenAPI schema."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

FILTER = {"district": "001", "status": "overdue", "as_of": "01/08/2021"}


def _all_pages(client, url, params):
    rows, params = [], {**params}
    while url:
        body = client.get(url, params).json()
        rows += body["results"]
        url, params = body["next"], {}
    return rows


def test_api_returns_the_same_assignments_as_the_page(db, client, city_official, reported):
    client.force_login(city_official)
    page_ids = [
        a.pk for a in client.get(reverse("tasks:assignment_list"), FILTER).context["page"].object_list
    ]
    api = _all_pages(client, "/api/assignments/", FILTER)
    assert [a["id"] for a in api] == page_ids
    assert {a["status"] for a in api} == {"overdue"}
    vinh_phuc = next(a for a in api if a["unit_code"] == "00006")
    assert vinh_phuc["unit_kind"] == "ward" and vinh_phuc["percent"] == 50
    assert vinh_phuc["unit_name"] == "Phường Vĩnh Phúc"


def test_api_search_ignores_diacritics(db, client, city_official):
    client.force_login(city_official)
    assert client.get("/api/assignments/", {"q": "BA ĐÌNH"}).json()["count"] == 30
    assert client.get("/api/wards/", {"q": "HANG BOT"}).json()["count"] == 1  # Phường Hàng Bột


def test_api_lists_the_units_of_a_day_with_where_they_went(db, client, city_official):
    client.force_login(city_official)
    assert client.get("/api/wards/", {"as_of": "2020-02-29", "district": "007"}).json()["count"] == 20
    ngo_thi_nham = client.get("/api/wards/00253/", {"as_of": "2020-02-29"}).json()
    assert (ngo_thi_nham["valid_to"], ngo_thi_nham["district"]) == ("2020-02-29", "007")
    assert [(s["code"], s["relation"]) for s in ngo_thi_nham["successors"]] == [
        ("00241", "mot_phan"),
        ("00247", "phan_con_lai"),
    ]
    assert client.get("/api/wards/00253/").status_code == 404  # it no longer exists today
    assert client.get("/api/wards/").json()["count"] == 175
    assert client.get("/api/wards/", {"district": "007"}).json()["count"] == 18
    assert client.get("/api/districts/001/").json()["name"] == "Ba Đình"


def test_api_documents_tasks_and_departments(db, client, city_official):
    client.force_login(city_official)
    docs = client.get("/api/documents/").json()["results"]
    assert [(d["number"], d["implements"]) for d in docs[:3]] == [
        ("97/2019/QH14", None),
        ("32/2021/NĐ-CP", "97/2019/QH14"),
        ("100/KH-UBND", "32/2021/NĐ-CP"),
    ]
    # The pilot's resolution was superseded by the Capital Law, in force from 01/01/2025.
    assert docs[0]["superseded_by"] == "39/2024/QH15"
    capital_law = next(d for d in docs if d["number"] == "39/2024/QH15")
    assert (capital_law["kind"], capital_law["in_force_on"], capital_law["issued_on"]) == (
        "luat",
        "2025-01-01",
        None,
    )
    assert client.get("/api/tasks/", {"lead": "so-noi-vu"}).json()["count"] == 1
    assert client.get("/api/departments/so-tu-phap/").json()["name"] == "Sở Tư pháp"


@pytest.mark.parametrize("url", ["/api/assignments/", "/api/wards/", "/api/schema/"])
def test_api_needs_a_signed_in_user_and_answers_in_json(db, client, url):
    response = client.get(url)
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json") or url.endswith("schema/")


def test_api_accepts_basic_authentication(db, client, city_official):
    city_official.set_password("mat-khau-rat-dai-2021")
    city_official.save()
    import base64

    token = base64.b64encode(b"lanhdao:mat-khau-rat-dai-2021").decode()
    assert client.get("/api/districts/", HTTP_AUTHORIZATION=f"Basic {token}").status_code == 200


def test_api_is_read_only(db, client, admin_user):
    client.force_login(admin_user)
    assert client.post("/api/wards/", {"code": "99999"}).status_code == 405
    assert client.delete("/api/wards/00001/").status_code == 405


def test_api_rejects_bad_filter_values_with_400(db, client, city_official):
    client.force_login(city_official)
    response = client.get("/api/assignments/", {"status": "bogus"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_openapi_schema_validates_and_docs_are_served_locally(db, client, city_official):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=io.StringIO())
    client.force_login(city_official)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/assignments/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/assignments/"]["get"]["parameters"]}
    assert {"as_of", "q", "document", "district", "ward", "status", "stale_days", "order"} <= params
    html = client.get("/api/docs/").content.decode()
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
