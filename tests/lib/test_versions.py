"""What a process keeps in memory from reference data (cqdt_portal/lib/versions.py) is as fresh as the tables:
every write path changes the topic's token (database triggers), and the filter forms show a change at once."""

from django.db import connection, transaction
from django.utils import timezone

from cqdt_portal.lib import versions
from org.models import Department
from plans.models import LegalDocument
from tasks.filters import AssignmentFilter, TaskFilter
from tasks.models import Assignment
from wards.models import Ward


def _options(filterset_class, name, data=None):
    return str(filterset_class(data or {}).form[name])


def test_every_watched_table_has_its_trigger(db):
    """After `migrate`, on SQLite and PostgreSQL alike (SQLite loses a table's triggers when a migration rebuilds
    the table: they are installed again after every migrate)."""
    tables = [table for tables in versions.TOPICS.values() for table in tables]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE "
                "'lib_cache_version_%%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'lib_cv_%'"
            )
        found = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= found


def test_each_kind_of_write_changes_the_token(db):
    seen = [versions.token("reference")]

    def changed():
        seen.append(versions.token("reference"))
        return seen[-1] not in seen[:-1]

    ward = Ward.objects.existing_on(timezone.localdate()).first()
    ward.name = ward.name + " (sửa)"
    ward.save()
    assert changed(), "save()"
    Ward.objects.filter(pk=ward.pk).update(name="Phúc Xá")
    assert changed(), "QuerySet.update()"
    Department.objects.bulk_create(
        [Department(code="so-thu", name="Sở Thử", kind=Department.objects.first().kind)]
    )
    assert changed(), "bulk_create()"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE plans_legaldocument SET title = title")
    assert changed(), "raw SQL"
    access = versions.token("access")
    from django.contrib.auth.models import Group

    Group.objects.create(name="Nhóm thử")
    assert versions.token("access") != access


def test_a_new_ward_appears_in_the_filter_at_once_and_a_rolled_back_one_never_stays(db):
    day = timezone.localdate()
    before = _options(AssignmentFilter, "ward")
    assert _options(AssignmentFilter, "ward") == before  # kept: the same options without rebuilding
    district = Ward.objects.existing_on(day).exclude(district=None).first().district

    def add(code, name):
        Ward.objects.create(code=code, name=name, kind=Ward.objects.first().kind, district=district,
                            valid_from=day.replace(year=day.year - 1))  # fmt: skip

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():  # a failed import: its rows and its token go back together
            add("99998", "Huỷ Bỏ")
            assert "Huỷ Bỏ" in _options(AssignmentFilter, "ward")
            raise Undo
    except Undo:
        pass
    assert _options(AssignmentFilter, "ward") == before
    add("99999", "Thử Nghiệm")
    after = _options(AssignmentFilter, "ward")
    assert "Thử Nghiệm" in after and "Huỷ Bỏ" not in after
    filterset = AssignmentFilter({"ward": "99999"}, queryset=Assignment.objects.all())
    assert filterset.is_valid(), filterset.errors
    assert not AssignmentFilter({"ward": "99998"}, queryset=Assignment.objects.all()).is_valid()


def test_a_renamed_document_and_department_show_at_once(db):
    document = LegalDocument.objects.first()
    assert document.number in _options(TaskFilter, "document")
    LegalDocument.objects.filter(pk=document.pk).update(number="999/KH-THU")
    assert "999/KH-THU" in _options(TaskFilter, "document")
    department = Department.objects.first()
    Department.objects.filter(pk=department.pk).update(name="Sở Đổi Tên")
    assert "Sở Đổi Tên" in _options(AssignmentFilter, "department")
    assert "Sở Đổi Tên" in _options(AssignmentFilter, "lead")


def test_the_kept_options_are_those_django_renders(db):
    """The kept HTML equals Django's own Select for every value (selected or not) of every reference select."""
    from django import forms

    ward = Ward.objects.existing_on(timezone.localdate()).first()
    for data in ({}, {"ward": ward.code, "lead": Department.objects.first().code, "document": "1"}):
        form = AssignmentFilter(data, queryset=Assignment.objects.all()).form
        form.is_valid()
        for name in ("document", "lead", "department", "district", "ward"):
            field = form[name]
            assert field.field.widget.kept_options is not None, name
            slow = forms.Select(choices=list(field.field.widget.choices), attrs=field.field.widget.attrs)
            assert field.as_widget() == field.as_widget(widget=slow), name


def test_a_list_page_shows_a_new_ward_on_the_next_request(db, client, city_official):
    """Through the real stack: the token comes with the signed-in user, and a write between two requests shows."""
    from django.urls import reverse

    client.force_login(city_official)
    url = reverse("tasks:assignment_list")
    assert "Thử Nghiệm" not in client.get(url).content.decode()
    day = timezone.localdate()
    district = Ward.objects.existing_on(day).exclude(district=None).first().district
    Ward.objects.create(code="99999", name="Thử Nghiệm", kind=Ward.objects.first().kind, district=district,
                        valid_from=day.replace(year=day.year - 1))  # fmt: skip
    html = client.get(url).content.decode()
    assert '<option value="99999">' in html and "Thử Nghiệm" in html
