"""The assignment tables' rows, written in Python (tasks/templatetags/status.py assignment_rows), give the HTML
the template loop gave: every link, name, tag, date, percent and status."""

import pytest
from django.template import Context, Engine, Template
from django.urls import reverse
from django.utils import timezone

from tasks.models import Assignment

# The rows as _assignment_table.html wrote them before.
TEMPLATE_ROWS = """{% load status %}
  {% for a in rows %}
    <tr>
      {% if show_task %}<td data-label="Nhiệm vụ"><a href="{{ a.get_absolute_url }}">{{ a.task.title }}</a></td>{% endif %}
      {% if show_unit %}<td data-label="Đơn vị">{% if show_task %}{{ a.unit }}{% else %}<a href="{{ a.get_absolute_url }}">{{ a.unit }}</a>{% endif %}{% if a.ward.district %}<span class="muted"> · {{ a.ward.district }}</span>{% endif %}{% if a.was_handed_over %} <span class="tag" title="Đơn vị thôi tồn tại sau ngày {{ a.ended_on|date:'d/m/Y' }}; việc chưa xong chuyển giao cho đơn vị nhận">đã chuyển giao</span>{% endif %}</td>{% endif %}
      <td data-label="Thời hạn">{{ a.due_on|date:"d/m/Y" }}{% if a.task.deadline_is_illustrative %} <span class="tag" title="Thời hạn do cổng đặt để minh hoạ, không có trong văn bản gốc">hạn minh hoạ</span>{% endif %}</td>
      <td class="nowrap" data-label="Tiến độ"><progress max="100" value="{{ a.percent }}" aria-hidden="true"></progress> {{ a.percent }}%</td>
      <td data-label="Hoàn thành">{{ a.completed_on|date:"d/m/Y"|default:"—" }}</td>
      <td data-label="Tình trạng">{% status_badge a.status %}{% if a.escalated_at %} <span class="tag tag-alert" title="Quá hạn sau nhiều lần nhắc: đưa ra cuộc họp giao ban lãnh đạo thành phố">báo cáo lãnh đạo</span>{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="6" class="muted">Không có nhiệm vụ nào.</td></tr>
  {% endfor %}
"""  # noqa: E501
PYTHON_ROWS = """{% load status %}
  {% if rows %}{% assignment_rows rows show_task show_unit %}{% else %}
    <tr><td colspan="6" class="muted">Không có nhiệm vụ nào.</td></tr>
  {% endif %}
"""  # noqa: E501


def _render(source, **context):
    return Template(source, engine=Engine.get_default()).render(Context(context))


@pytest.mark.parametrize(
    "flags", [{"show_task": True, "show_unit": True}, {"show_unit": True}, {"show_task": True}, {}]
)
def test_assignment_rows_written_in_python_match_the_template(
    map_until, client, city_official, reported, flags
):
    map_until("2025-01-01")  # 15 phường ended: their open work shows "đã chuyển giao"
    Assignment.objects.filter(pk__in=Assignment.objects.filter(ward__code="00006").values("pk")[:3]).update(
        escalated_at=timezone.now()
    )
    client.force_login(city_official)
    seen = set()
    for params in (
        {"as_of": "2024-12-31", "q": "sẵn sàng"},
        {"as_of": "2025-01-01"},
        {"status": "overdue"},
        {},
    ):
        rows = list(client.get(reverse("tasks:assignment_list"), params).context["page"])
        seen |= {("handed", a.was_handed_over) for a in rows} | {
            ("escalated", bool(a.escalated_at)) for a in rows
        }
        seen |= {("illustrative", a.task.deadline_is_illustrative) for a in rows}
        seen |= {("district", bool(a.ward_id and a.ward.district_id)) for a in rows}
        seen |= {("done", a.completed_on is not None) for a in rows}
        assert _render(PYTHON_ROWS, rows=rows, **flags) == _render(TEMPLATE_ROWS, rows=rows, **flags)
    assert _render(PYTHON_ROWS, rows=[], **flags) == _render(TEMPLATE_ROWS, rows=[], **flags)
    # Every kind of row was compared: with and without each tag.
    assert seen >= {(k, v) for k in ("handed", "escalated", "district", "done") for v in (True, False)}


def test_a_list_pages_light_rows_write_the_same_table_as_its_model_rows(
    map_until, client, city_official, reported
):
    """Once a worker keeps the reference data, a list page shows light rows (tasks.list_selectors.light_rows): the
    same HTML as the model rows, for every kind of row."""
    from tasks.filters import AssignmentFilter
    from tasks.list_selectors import light_rows
    from tasks.selectors import assignments_for_list

    map_until("2025-01-01")
    for params in ({"as_of": "2024-12-31"}, {"as_of": "2025-01-01"}, {"status": "overdue"}):
        filterset = AssignmentFilter(params, queryset=Assignment.objects.all())
        str(filterset.form)  # the selects read the reference data into this process, as a list page does
        page = assignments_for_list(filterset.qs, reference=filterset.reference)[:50]
        light = light_rows(page, filterset.reference)
        assert light is not None and len(light) == len(list(page))
        for flags in ({"show_task": True, "show_unit": True}, {"show_unit": True}):
            assert _render(PYTHON_ROWS, rows=light, **flags) == _render(PYTHON_ROWS, rows=list(page), **flags)
            assert _render(TEMPLATE_ROWS, rows=light, **flags) == _render(
                TEMPLATE_ROWS, rows=list(page), **flags
            )
