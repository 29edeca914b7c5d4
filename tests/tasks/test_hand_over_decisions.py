"""Where no successor is on record (the 15 phường that ended on 31/12/2024: the sources say nothing of where they
went), their open assignments wait for the city's decision, which the admin records."""

import datetime

import pytest
from django.urls import reverse

from tasks.models import Assignment
from wards.models import Ward

ENDED = datetime.date(2024, 12, 31)
LIST_URL = reverse("admin:tasks_awaitinghandover_changelist")


@pytest.fixture
def step_of_2025(map_until):
    map_until("2025-01-01")


def test_the_open_work_of_units_with_no_known_successor_waits_for_a_decision(
    step_of_2025, client, admin_user
):
    ended = Ward.objects.filter(valid_to=ENDED)
    assert ended.count() == 15 and not any(w.successions.exists() for w in ended)
    awaiting = Assignment.objects.awaiting_hand_over()
    assert set(awaiting.values_list("ward__valid_to", flat=True)) == {ENDED}
    assert (
        awaiting.count() == Assignment.objects.filter(ward__in=ended, completed_on__isnull=True).count() > 0
    )
    client.force_login(admin_user)
    page = client.get(LIST_URL)
    assert page.status_code == 200
    assert f"{awaiting.count()} việc chờ quyết định chuyển giao" in page.text


def test_the_city_names_the_receivers_and_the_work_moves_with_its_deadline(step_of_2025, client, admin_user):
    assignment = Assignment.objects.awaiting_hand_over().select_related("ward", "task").first()
    receivers = list(Ward.objects.existing_on(ENDED + datetime.timedelta(days=1)).filter(
        district=assignment.ward.district).exclude(assignments__task=assignment.task)[:2]) or list(
        Ward.objects.existing_on(ENDED + datetime.timedelta(days=1)).filter(district=assignment.ward.district)[:2])  # fmt: skip
    client.force_login(admin_user)
    url = reverse("admin:tasks_awaitinghandover_change", args=[assignment.pk])
    form = client.get(url)
    assert form.status_code == 200 and "Đơn vị nhận chuyển giao" in form.text
    response = client.post(url, {"receivers": [w.pk for w in receivers]})
    assert response.status_code == 302 and response.url == LIST_URL
    assert not Assignment.objects.awaiting_hand_over().filter(pk=assignment.pk).exists()
    taken = Assignment.objects.filter(handed_over_from=assignment)
    assert sorted(taken.values_list("ward_id", flat=True)) == sorted(w.pk for w in receivers)
    assert all(a.due_on == assignment.due_on for a in taken)
    # Done twice is refused with a message, and changes nothing.
    before = Assignment.objects.count()
    response = client.post(url, {"receivers": [receivers[0].pk]})
    assert response.status_code == 302 and response.url == reverse("admin:index")  # "no longer exists"
    assert Assignment.objects.count() == before


def test_a_receiver_must_exist_after_the_unit_ended(step_of_2025, client, admin_user):
    assignment = Assignment.objects.awaiting_hand_over().first()
    gone = Ward.objects.filter(valid_to=ENDED).exclude(pk=assignment.ward_id).first()
    client.force_login(admin_user)
    url = reverse("admin:tasks_awaitinghandover_change", args=[assignment.pk])
    response = client.post(url, {"receivers": [gone.pk]})
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in response.text
    assert Assignment.objects.awaiting_hand_over().filter(pk=assignment.pk).exists()


@pytest.mark.parametrize("day", ["2025-01-01", "2025-07-01"])
def test_the_list_runs_a_fixed_number_of_queries(
    map_until, client, admin_user, django_assert_max_num_queries, day
):
    map_until(day)  # the first step's few; many more once the districts ended with no successor
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        assert client.get(LIST_URL).status_code == 200
