import pytest

from bench.generate_load import LoadRefused, generate
from bench.loadgen import TITLE_PREFIX
from reporting.models import ProgressUpdate, ReportState
from tasks.models import Assignment, Task, TaskScope
from wards.models import Ward


def test_generate_load_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    tasks = Task.objects.count()
    with pytest.raises(LoadRefused, match="DEBUG"):
        generate(scale="XS")
    assert Task.objects.count() == tasks


def test_generate_load_writes_an_illustrative_plan_whose_assignments_agree_with_their_reports(db, settings):
    settings.DEBUG = True
    real = set(Task.objects.values_list("pk", flat=True))
    counts = generate(scale="XS")
    assert counts.tasks == 30

    generated = Task.objects.exclude(pk__in=real)
    assert generated.count() == 30
    assert all(t.is_illustrative and t.title.startswith(TITLE_PREFIX) for t in generated)
    assert all(t.document.number.startswith("MH-") for t in generated.select_related("document"))
    ward_task = generated.get(scope=TaskScope.EVERY_WARD)
    assert ward_task.assignments.count() == Ward.objects.current().count()

    assignments = Assignment.objects.filter(task__in=generated)
    assert assignments.count() > 200
    for a in assignments.prefetch_related("updates"):
        reports = list(a.updates.all())  # newest first (Meta.ordering)
        assert reports, a
        latest = reports[0]
        assert (a.percent, a.completed_on, a.last_reported_at) == (
            latest.percent,
            latest.completed_on,
            latest.reported_at,
        )
        assert [r.percent for r in reports] == sorted((r.percent for r in reports), reverse=True)
        assert all(r.completed_on is None for r in reports[1:])
    generated_reports = ProgressUpdate.objects.filter(assignment__in=assignments)
    assert generated_reports.count() >= 4 * assignments.count()
    # Only confirmed reports move an assignment: every generated one is confirmed by the city office.
    states = {u.state for u in generated_reports.with_review_state()}
    assert states == {ReportState.CONFIRMED}
