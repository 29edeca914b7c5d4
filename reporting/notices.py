"""What the reporting side tells people, and whom: the notifications of reports, reviews and extensions.

Each function is called by a service inside its transaction, once the event is written; the notifications app
writes the rows and e-mails them after the commit. A fixed number of queries whatever the number of reports.
"""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from notifications.models import NotificationKind
from notifications.selectors import people_of_units, people_with_permission
from notifications.services import Event, notifications_send, notifications_settled

from .models import (
    ExtensionDecision,
    ExtensionRequest,
    ProgressUpdate,
    ReportReview,
    ReviewOutcome,
    ReviewStage,
)


def _task(assignment) -> str:
    return Truncator(assignment.task.title).chars(120)


def report_awaiting(update: ProgressUpdate, *, by, stage: ReviewStage) -> None:
    """A report now waits for a decision: the unit's heads (stage UNIT_HEAD) or the city office's reviewers."""
    assignment = update.assignment
    if stage == ReviewStage.UNIT_HEAD:
        recipients = people_with_permission(
            "reporting.approve_unit_report", unit_key=assignment.unit_key, exclude=by
        )
        title = _("Báo cáo chờ anh/chị duyệt: %(task)s") % {"task": _task(assignment)}
    else:
        recipients = people_with_permission("reporting.review_report", exclude=by)
        title = _("Báo cáo chờ xác nhận: %(task)s") % {"task": _task(assignment)}
    body = _("%(unit)s báo cáo %(percent)d%%.") % {"unit": assignment.unit, "percent": update.percent}
    if update.note:
        body += "\n" + Truncator(update.note).chars(300)
    event = Event(
        kind=NotificationKind.REPORT_AWAITING,
        key=f"report_awaiting:{stage}:{update.pk}",
        title=title,
        body=body,
        link=_review_link(update),
    )
    notifications_send(events=[(event, recipients)])


def _review_link(update: ProgressUpdate) -> str:
    return reverse("reporting:report_review", args=[update.pk])


def reports_decided(reviews: list[ReportReview], *, by) -> None:
    """Tell each unit of its reports returned or confirmed; pass to the reviewers what a head approved."""
    updates = ProgressUpdate.objects.select_related(
        "assignment__task", "assignment__department", "assignment__district", "assignment__ward"
    ).in_bulk([r.update_id for r in reviews])
    for review in reviews:
        review.update = updates[review.update_id]
    people = people_of_units({r.update.assignment.unit_key for r in reviews}, exclude=by)
    # Decided at this stage, by whoever: the others who were told it waited need not look any more.
    notifications_settled(keys=[f"report_awaiting:{r.stage}:{r.update_id}" for r in reviews])
    events = []
    for review in reviews:
        update, assignment = review.update, review.update.assignment
        if review.outcome == ReviewOutcome.RETURNED:
            kind, key = NotificationKind.REPORT_RETURNED, f"report_returned:{update.pk}"
            title = _("Báo cáo bị trả lại: %(task)s") % {"task": _task(assignment)}
            body = _("Lý do (%(stage)s): %(reason)s") % {
                "stage": review.get_stage_display(),
                "reason": review.reason,
            }
        elif review.stage == ReviewStage.CITY:
            kind, key = NotificationKind.REPORT_CONFIRMED, f"report_confirmed:{update.pk}"
            title = _("Báo cáo đã được xác nhận: %(task)s") % {"task": _task(assignment)}
            body = _("Báo cáo %(percent)d%% ngày %(day)s được Văn phòng UBND thành phố xác nhận.") % {
                "percent": update.percent,
                "day": update.reported_at.strftime("%d/%m/%Y"),
            }
        else:
            continue
        events.append(
            (Event(kind=kind, key=key, title=title, body=body, link=assignment.get_absolute_url()),
             people.get(assignment.unit_key, []))
        )  # fmt: skip
    notifications_send(events=events)
    approved_by_head = [
        r for r in reviews if r.stage == ReviewStage.UNIT_HEAD and r.outcome == ReviewOutcome.APPROVED
    ]
    if approved_by_head:
        reviewers = people_with_permission("reporting.review_report", exclude=by)
        notifications_send(
            events=[
                (Event(
                    kind=NotificationKind.REPORT_AWAITING,
                    key=f"report_awaiting:{ReviewStage.CITY}:{r.update.pk}",
                    title=_("Báo cáo chờ xác nhận: %(task)s") % {"task": _task(r.update.assignment)},
                    body=_("%(unit)s báo cáo %(percent)d%%, lãnh đạo đơn vị đã duyệt.")
                    % {"unit": r.update.assignment.unit, "percent": r.update.percent},
                    link=_review_link(r.update),
                ), reviewers)
                for r in approved_by_head
            ]
        )  # fmt: skip


def extension_awaiting(request: ExtensionRequest, *, by) -> None:
    assignment = request.assignment
    event = Event(
        kind=NotificationKind.EXTENSION_AWAITING,
        key=f"extension_awaiting:{request.pk}",
        title=_("Đề nghị gia hạn chờ quyết định: %(task)s") % {"task": _task(assignment)},
        body=_("%(unit)s đề nghị gia hạn từ %(old)s đến %(new)s. Lý do: %(reason)s")
        % {
            "unit": assignment.unit,
            "old": request.current_due_on.strftime("%d/%m/%Y"),
            "new": request.requested_due_on.strftime("%d/%m/%Y"),
            "reason": Truncator(request.reason).chars(300),
        },
        link=reverse("reporting:extension_decide", args=[request.pk]),
    )
    notifications_send(events=[(event, people_with_permission("reporting.decide_extension", exclude=by))])


def extension_decided(decision: ExtensionDecision, *, by) -> None:
    request = decision.request
    notifications_settled(keys=[f"extension_awaiting:{request.pk}"])
    assignment = request.assignment
    recipients = people_of_units([assignment.unit_key], exclude=by).get(assignment.unit_key, [])
    if request.requested_by_id != by.pk:
        recipients = [*recipients, request.requested_by_id]
    if decision.approved:
        title = _("Đồng ý gia hạn đến %(day)s: %(task)s") % {
            "day": decision.granted_due_on.strftime("%d/%m/%Y"),
            "task": _task(assignment),
        }
    else:
        title = _("Không đồng ý gia hạn: %(task)s") % {"task": _task(assignment)}
    lines = []
    if decision.document_number:
        lines.append(_("Văn bản: %(number)s") % {"number": decision.document_label})
    if decision.approved and decision.granted_due_on != request.requested_due_on:
        lines.append(
            _("Đơn vị đề nghị đến %(asked)s; thời hạn được chấp thuận: %(granted)s.")
            % {
                "asked": request.requested_due_on.strftime("%d/%m/%Y"),
                "granted": decision.granted_due_on.strftime("%d/%m/%Y"),
            }
        )
    if decision.approved and not decision.effective:
        lines.append(_("Quyết định sau khi thời hạn đã qua: việc tính đúng hạn vẫn theo thời hạn cũ."))
    if decision.reason:
        lines.append(_("Ý kiến: %(reason)s") % {"reason": decision.reason})
    event = Event(
        kind=NotificationKind.EXTENSION_DECIDED,
        key=f"extension_decided:{request.pk}",
        title=title,
        body="\n".join(lines),
        link=assignment.get_absolute_url(),
    )
    notifications_send(events=[(event, recipients)])
