"""The summary tables' rows, written in Python (dashboards/templatetags/matrix.py group_rows), give the HTML the
template loop gave: the same names, numbers, links, rates and bars."""

from django.template import Context, Engine, Template
from django.urls import reverse

from tasks.status import Status

# The rows as the template wrote them before (the loop of _group_table.html, with _status_bar.html inlined).
TEMPLATE_ROWS = """{% load status listing l10n %}
  {% for unit, c, params in rows %}
    <tr>
      <th scope="row" data-label="{{ unit_header }}">{{ unit.name_then|default:unit }}</th>
      {% for status, n in c.rows %}<td class="num" data-label="{{ status.label }}"><a href="{% list_url params status=status.value document=document_pk as_of=as_of_param %}">{{ n }}</a></td>{% endfor %}
      <td class="num" data-label="Tổng"><a href="{% list_url params document=document_pk as_of=as_of_param %}">{{ c.total }}</a></td>
      <td class="rate-cell" data-label="{{ rate_header|default:'Tỷ lệ đúng hạn' }}"><span class="rate">{% if c.on_time_rate is None %}—{% else %}{{ c.on_time_rate }}%{% endif %}</span>{% localize off %}<svg class="stack-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="{% for s, n, x, w in c.segments %}{{ s.label }}: {{ n }}{% if not forloop.last %}; {% endif %}{% endfor %}">{% for s, n, x, w in c.segments %}{% if n %}<rect class="seg-{{ s.value }}" x="{{ x }}" y="0" width="{{ w }}" height="10"><title>{{ s.label }}: {{ n }}</title></rect>{% endif %}{% endfor %}</svg>{% endlocalize %}
</td>
    </tr>
  {% empty %}<tr><td colspan="7" class="muted">Không có số liệu.</td></tr>
  {% endfor %}
"""  # noqa: E501
PYTHON_ROWS = """{% load matrix %}
  {% if rows %}{% group_rows rows unit_header rate_header document_pk as_of_param %}{% else %}<tr><td colspan="7" class="muted">Không có số liệu.</td></tr>
  {% endif %}
"""  # noqa: E501


def _render(source, **context):
    return Template(source, engine=Engine.get_default()).render(Context(context))


def test_summary_rows_written_in_python_match_the_template(client, city_official, reported):
    client.force_login(city_official)
    tables = [
        ("per_district", "Quận, thị xã", ""),
        ("per_lead", "Đơn vị chủ trì", "Tỷ lệ đúng hạn (chủ trì)"),
    ]
    rates, checked = set(), 0
    # Before the first deadline (no rate yet: "—") and after it.
    for as_of in ("2021-06-15", "2021-08-01"):
        context = client.get(reverse("dashboards:dashboard"), {"as_of": as_of, "document": "3"}).context
        for key, header, rate_header in tables:
            rows = context[key]
            checked += len(rows)
            rates |= {c.on_time_rate is None for _u, c, _p in rows}
            for document_pk in (3, None):
                params = dict(rows=rows, unit_header=header, rate_header=rate_header, document_pk=document_pk,
                              as_of_param=as_of, statuses=list(Status))  # fmt: skip
                assert _render(PYTHON_ROWS, **params) == _render(TEMPLATE_ROWS, **params)
    assert rates == {True, False} and checked > 20
    empty = dict(rows=[], unit_header="Đơn vị", rate_header="", document_pk=None, as_of_param="")
    assert _render(PYTHON_ROWS, **empty) == _render(TEMPLATE_ROWS, **empty)
