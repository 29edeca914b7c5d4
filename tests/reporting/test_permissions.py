"""The permission matrix: every write URL × every persona, with the status code and the database afterwards.

A refused request leaves the database exactly as it was (db_state); an allowed one redirects and writes.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from reporting.models import ReviewOutcome, ReviewStage, UnitPolicy
from reporting.services import extension_request, progress_report
from tests.conftest import db_state

OK, LOGIN, FORBIDDEN = "ok", "login", 403

PERSONAS = [
    "anonymous",
    "city_official",
    "ward_staff",  # staff of the unit (Phường Phúc Xá)
    "other_ward_staff",  # another ward of the same district
    "district_staff",  # district staff, for its own ward
    "other_district_staff",  # district staff, for another district's ward
    "dept_staff",  # a department's staff
    "unit_head",  # head of Phúc Xá
    "reviewer",
    "admin_user",
]

# Expected outcome of each write URL, on Phúc Xá's assignment or on a report/request of it, per persona.
MATRIX = {
    "progress_create": {
        "anonymous": LOGIN,
        "city_official": FORBIDDEN,
        "ward_staff": OK,
        "other_ward_staff": FORBIDDEN,
        "district_staff": FORBIDDEN,
        "other_district_staff": FORBIDDEN,
        "dept_staff": FORBIDDEN,
        "unit_head": OK,
        "reviewer": FORBIDDEN,
        "admin_user": OK,
    },
    "extension_create": {
        "anonymous": LOGIN,
        "city_official": FORBIDDEN,
        "ward_staff": OK,
        "other_ward_staff": FORBIDDEN,
        "district_staff": FORBIDDEN,
        "other_district_staff": FORBIDDEN,
        "dept_staff": FORBIDDEN,
        "unit_head": OK,
        "reviewer": OK,  # the city office edits deadlines through the same record
        "admin_user": OK,
    },
    "report_review": {
        "anonymous": LOGIN,
        "city_official": FORBIDDEN,
        "ward_staff": FORBIDDEN,
        "other_ward_staff": FORBIDDEN,
        "district_staff": FORBIDDEN,
        "other_district_staff": FORBIDDEN,
        "dept_staff": FORBIDDEN,
        "unit_head": FORBIDDEN,  # the ward asks no head approval: nothing for the head to decide
        "reviewer": OK,
        "admin_user": OK,
    },
    "reports_confirm": {
        "anonymous": LOGIN,
        "city_official": FORBIDDEN,
        "ward_staff": FORBIDDEN,
        "other_ward_staff": FORBIDDEN,
        "district_staff": FORBIDDEN,
        "other_district_staff": FORBIDDEN,
        "dept_staff": FORBIDDEN,
        "unit_head": FORBIDDEN,
        "reviewer": OK,
        "admin_user": OK,
    },
    "extension_decide": {
        "anonymous": LOGIN,
        "city_official": FORBIDDEN,
        "ward_staff": FORBIDDEN,
        "other_ward_staff": FORBIDDEN,
        "district_staff": FORBIDDEN,
        "other_district_staff": FORBIDDEN,
        "dept_staff": FORBIDDEN,
        "unit_head": FORBIDDEN,
        "reviewer": OK,
        "admin_user": OK,
    },
}

CASES = [(url, persona, MATRIX[url][persona]) for url in MATRIX for persona in PERSONAS]


def login_as(client, request, persona):
    if persona == "anonymous":
        return None
    user = request.getfixturevalue(persona)
    client.force_login(user)
    return user


def write_request(url_name, assignment, ward_staff):
    """(url, POST data) for a valid write: whatever is refused is refused for the persona, not the data."""
    if url_name == "progress_create":
        data = {"percent": "40", "note": "Đang triển khai.", "version": str(assignment.version)}
        return reverse("reporting:progress_create", args=[assignment.pk]), data
    if url_name == "extension_create":
        data = {
            "requested_due_on": (assignment.due_on + timedelta(days=30)).isoformat(),
            "reason": "Chờ con dấu.",
        }
        return reverse("reporting:extension_create", args=[assignment.pk]), data
    if url_name in ("report_review", "reports_confirm"):
        update = progress_report(
            assignment=assignment, by=ward_staff, percent=50, note="Đã kiện toàn bộ máy."
        )
        if url_name == "report_review":
            return reverse("reporting:report_review", args=[update.pk]), {"outcome": "approved"}
        return reverse("reporting:reports_confirm"), {"reports": [str(update.pk)]}
    request = extension_request(
        assignment=assignment,
        by=ward_staff,
        requested_due_on=assignment.due_on + timedelta(days=30),
        reason="Lý do.",
    )
    return reverse("reporting:extension_decide", args=[request.pk]), {"approved": "1"}


@pytest.mark.parametrize("url_name, persona, expected", CASES)
def test_write_url_by_persona(client, request, ward_assignment, ward_staff, url_name, persona, expected):
    url, data = write_request(url_name, ward_assignment, ward_staff)
    login_as(client, request, persona)
    before = db_state(ward_assignment)

    response = client.post(url, data)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert db_state(ward_assignment) == before
    elif expected == FORBIDDEN:
        assert response.status_code == 403
        assert db_state(ward_assignment) == before
    else:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert not response["Location"].startswith(reverse("login"))
        assert db_state(ward_assignment) != before


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("unit_head", OK),
        ("reviewer", FORBIDDEN),  # not yet: the head has to approve first
        ("ward_staff", FORBIDDEN),
        ("other_ward_head", FORBIDDEN),
        ("admin_user", OK),
    ],
)
def test_where_the_ward_asks_for_it_only_its_own_head_approves_first(
    client, request, ward_assignment, ward_staff, persona, expected
):
    from reporting.models import Role
    from tests.conftest import make_user
    from wards.models import Ward

    if persona == "other_ward_head":
        client.force_login(make_user("truongtrucbach", Role.UNIT_HEAD, ward=Ward.objects.get(code="00004")))
    else:
        login_as(client, request, persona)
    UnitPolicy.objects.create(ward=ward_assignment.ward, head_approval_required=True)
    update = progress_report(assignment=ward_assignment, by=ward_staff, percent=50, note="Đã kiện toàn.")
    before = db_state(ward_assignment)

    response = client.post(reverse("reporting:report_review", args=[update.pk]), {"outcome": "approved"})

    if expected == OK:
        assert response.status_code == 302
        review = update.reviews.get()
        assert (review.stage, review.outcome) == (ReviewStage.UNIT_HEAD, ReviewOutcome.APPROVED)
    else:
        assert response.status_code == 403
        assert db_state(ward_assignment) == before


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("dept_staff", OK),
        ("other_dept_staff", FORBIDDEN),
        ("ward_staff", FORBIDDEN),
        ("city_official", FORBIDDEN),
    ],
)
def test_department_staff_report_only_for_their_own_department(
    client, request, dept_assignment, persona, expected
):
    login_as(client, request, persona)
    before = db_state(dept_assignment)
    response = client.post(
        reverse("reporting:progress_create", args=[dept_assignment.pk]),
        {"percent": "30", "note": "Đang dự thảo.", "version": str(dept_assignment.version)},
    )
    assert response.status_code == (302 if expected == OK else 403)
    assert (db_state(dept_assignment) == before) is (expected != OK)


@pytest.mark.parametrize(
    "persona, expected",
    [("district_staff", OK), ("other_district_staff", FORBIDDEN), ("ward_staff", FORBIDDEN)],
)
def test_district_staff_report_for_the_district_but_not_for_its_wards(
    client, request, district_assignment, persona, expected
):
    login_as(client, request, persona)
    before = db_state(district_assignment)
    response = client.post(
        reverse("reporting:progress_create", args=[district_assignment.pk]),
        {"percent": "30", "note": "Đang chuẩn bị.", "version": str(district_assignment.version)},
    )
    assert response.status_code == (302 if expected == OK else 403)
    assert (db_state(district_assignment) == before) is (expected != OK)


@pytest.mark.parametrize("persona", ["district_staff", "other_district_staff", "ward_staff", "city_official"])
def test_every_signed_in_persona_reads_a_wards_assignment_and_its_board(
    client, request, ward_assignment, persona
):
    login_as(client, request, persona)
    assert client.get(ward_assignment.get_absolute_url()).status_code == 200
    assert client.get(reverse("tasks:district_board", args=["001"])).status_code == 200


def test_district_staff_see_no_report_button_on_their_wards_assignment(
    client, district_staff, ward_assignment
):
    client.force_login(district_staff)
    page = client.get(ward_assignment.get_absolute_url()).content.decode()
    assert reverse("reporting:progress_create", args=[ward_assignment.pk]) not in page


def test_anonymous_is_sent_to_login_for_reads_too(client, ward_assignment):
    response = client.get(ward_assignment.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_review_queue_is_refused_to_those_who_review_nothing(client, ward_staff, city_official):
    for user in (ward_staff, city_official):
        client.force_login(user)
        assert client.get(reverse("reporting:review_queue")).status_code == 403


@pytest.mark.parametrize(
    "method, url_name, needs_pk",
    [
        ("get", "reports_confirm", False),
        ("put", "progress_create", True),
        ("delete", "report_review", True),
        ("patch", "extension_create", True),
    ],
)
def test_wrong_method_is_refused(client, admin_user, ward_assignment, method, url_name, needs_pk):
    client.force_login(admin_user)
    url = reverse(f"reporting:{url_name}", args=[ward_assignment.pk] if needs_pk else [])
    before = db_state(ward_assignment)
    assert getattr(client, method)(url).status_code == 405
    assert db_state(ward_assignment) == before


def test_unknown_objects_are_404(client, admin_user):
    client.force_login(admin_user)
    for name in (
        "progress_create",
        "extension_create",
        "report_review",
        "extension_decide",
        "evidence_download",
    ):
        assert client.get(reverse(f"reporting:{name}", args=[999999])).status_code == 404
