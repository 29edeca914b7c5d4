"""Every page: anonymous visitors go to the login page; each persona reads it; the admin loads every model."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from plans.models import LegalDocument
from tasks.models import Assignment, Task
from tests.conftest import PERSONAS, in_a_new_worker


def page_urls():
    plan = LegalDocument.objects.get(number="100/KH-UBND")
    task = Task.objects.get(title__startswith="Sẵn sàng vận hành")
    assignment = Assignment.objects.get(task=task, ward__code="00001")
    return [
        reverse("dashboards:home"),
        reverse("tasks:document_list"),
        reverse("tasks:document_detail", args=[plan.pk]),
        reverse("tasks:district_list"),
        reverse("tasks:district_detail", args=["007"]),
        reverse("tasks:task_list"),
        reverse("tasks:task_detail", args=[task.pk]),
        reverse("reporting:assignment_detail", args=[assignment.pk]),
        reverse("tasks:department_list"),
        reverse("tasks:unit_detail", args=["so", "so-tu-phap"]),
        reverse("tasks:unit_detail", args=["quan", "001"]),
        reverse("tasks:unit_detail", args=["phuong", "00001"]),
        reverse("tasks:unit_detail", args=["phuong", "00250"]),  # a retired ward keeps its page
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(db, client):
    for url in page_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_reads_every_page_in_vietnamese(db, client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in page_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="vi">' in response.content.decode()


def test_login_then_home_shows_counts_by_status(db, client, city_official):
    city_official.set_password("mat-khau-rat-dai-2021")
    city_official.save()
    response = client.post(
        reverse("login"), {"username": "lanhdao", "password": "mat-khau-rat-dai-2021"}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("dashboards:home")
    for label in (
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Chưa hoàn thành – trong hạn",
        "Chưa hoàn thành – quá hạn",
    ):
        assert label in html
    assert "379" in html  # every assignment of Plan 100, counted


def test_wrong_password_gets_a_vietnamese_message(db, client, city_official):
    response = client.post(reverse("login"), {"username": "lanhdao", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_district_page_lists_active_and_retired_wards(db, client, city_official):
    client.force_login(city_official)
    html = client.get(reverse("tasks:district_detail", args=["007"])).content.decode()
    assert "18 phường" in html
    assert "Phường Bùi Thị Xuân" in html and "đã sáp nhập" in html
    assert "Phường Nguyễn Du" in html


def test_document_page_shows_its_chain_and_tasks(db, client, city_official):
    client.force_login(city_official)
    plan = LegalDocument.objects.get(number="100/KH-UBND")
    html = client.get(reverse("tasks:document_detail", args=[plan.pk])).content.decode()
    chain = html.split('class="chain"')[1].split("</ol>")[0]
    assert (
        chain.index("97/2019/QH14")
        < chain.index("32/2021/NĐ-CP")
        < chain.index("<strong>Kế hoạch 100/KH-UBND")
    )
    assert "Tuyên truyền về Nghị định 32/2021/NĐ-CP" in html
    assert "12/04/2021" in html  # dates read dd/mm/yyyy


def test_unknown_unit_is_a_404(db, client, city_official):
    client.force_login(city_official)
    assert client.get(reverse("tasks:unit_detail", args=["phuong", "99999"])).status_code == 404
    assert client.get(reverse("tasks:unit_detail", args=["tinh", "01"])).status_code == 404


def test_pages_run_a_fixed_number_of_queries(db, client, city_official, django_assert_max_num_queries):
    client.force_login(city_official)
    for url in page_urls():
        in_a_new_worker()
        with django_assert_max_num_queries(12):
            client.get(url)


# Every model of the project's own apps (not Django's or the packages'), wherever it lives.
ADMIN_MODELS = [
    m
    for config in apps.get_app_configs()
    if Path(config.path).is_relative_to(settings.BASE_DIR) and "site-packages" not in config.path
    for m in config.get_models()
]


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_admin_lists_searches_and_opens_every_model(db, client, admin_user, model):
    client.force_login(admin_user)
    info = (model._meta.app_label, model._meta.model_name)
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "Ba Đình"}).status_code == 200
    # The first object the admin lists (an admin may show only some rows, e.g. those awaiting a decision).
    request = RequestFactory().get("/")
    request.user = admin_user
    obj = admin.site._registry[model].get_queryset(request).first()
    if obj is not None:
        assert client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200


def test_admin_is_in_vietnamese_and_closed_to_non_staff(db, client, admin_user, ward_staff):
    client.force_login(ward_staff)
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(admin_user)
    assert "Quản trị dữ liệu" in client.get(reverse("admin:index")).content.decode()


def test_old_admin_addresses_of_moved_models_lead_to_their_new_pages(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/quan-tri/tasks/holiday/", {"q": "Tết"})
    assert (
        response.status_code == 301 and response["Location"] == "/quan-tri/reminders/holiday/?q=T%E1%BA%BFt"
    )
    response = client.get("/quan-tri/tasks/department/", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == "/quan-tri/org/department/"
    # Models that stayed keep their address.
    assert client.get("/quan-tri/tasks/assignment/").status_code == 200


def test_every_object_page_the_admin_links_to_opens(client, admin_user, city_official):
    """'Xem trên trang' in the admin, and every link through get_absolute_url, lead to a page that opens."""
    client.force_login(admin_user)
    for label in settings.ABSOLUTE_URL_OVERRIDES:
        model = apps.get_model(label)
        obj = model.objects.first()
        view_on_site = reverse(
            "admin:view_on_site", args=[ContentType.objects.get_for_model(model).pk, obj.pk]
        )
        change = client.get(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        )
        assert view_on_site in change.content.decode(), label
        assert client.get(view_on_site)["Location"].endswith(obj.get_absolute_url()), label
    client.force_login(city_official)
    for label in [*settings.ABSOLUTE_URL_OVERRIDES, "tasks.task"]:
        obj = apps.get_model(label).objects.first()
        assert client.get(obj.get_absolute_url()).status_code == 200, label
