"""The reporting side's pages: an assignment and its history, progress reports, reviews, extensions, evidence.

Every view goes through reporting/access.py, then a form, then a service or selector.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from reminders.jobs import chase_and_mail

from . import access, selectors, services
from .forms import (
    BulkConfirmForm,
    ChaseForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ProgressForm,
    ReviewForm,
)
from .models import ReviewOutcome

STALE_MESSAGE = gettext_lazy(
    "Trong lúc anh/chị nhập, nhiệm vụ này đã có thay đổi mới (một báo cáo khác, một xác nhận hoặc gia hạn), "
    "xem ở phần “Gần đây” bên dưới. Báo cáo của anh/chị CHƯA được lưu; nội dung đã nhập vẫn giữ nguyên "
    "(riêng tệp đính kèm cần chọn lại). Kiểm tra lại rồi bấm “Gửi báo cáo”."
)


def _apply_errors(form, error: ValidationError) -> None:
    for field, errs in error.message_dict.items():
        form.add_error(None if field == "__all__" or field not in form.fields else field, errs)


def assignment_detail(request, pk):
    today = timezone.localdate()
    assignment = access.assignment_for_user(request.user, pk)
    return render(
        request,
        "reporting/assignment_detail.html",
        {
            "assignment": assignment,
            "status": assignment.status_on(today),
            "timeline": selectors.assignment_timeline(assignment),
            "today": today,
            **access.assignment_actions(request.user, assignment),
        },
    )


@require_http_methods(["GET", "POST"])
def progress_create(request, pk):
    assignment = access.assignment_for_user(request.user, pk, write=True)
    if request.method == "POST":
        form = ProgressForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.progress_report(
                    assignment=assignment,
                    by=request.user,
                    percent=data["percent"],
                    note=data["note"],
                    completed_on=data["completed_on"],
                    outgoing_number=data["outgoing_number"],
                    outgoing_date=data["outgoing_date"],
                    evidence=data["evidence"],
                    expected_version=data["version"],
                )
            except services.StaleVersion:
                assignment.refresh_from_db()
                # Keep the input; carry the new version so that a deliberate second submit goes through.
                form.data = form.data.copy()
                form.data["version"] = str(assignment.version)
                form.add_error(None, STALE_MESSAGE)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request, _("Đã gửi báo cáo. Báo cáo được tính khi Văn phòng UBND TP xác nhận.")
                )
                return redirect(assignment)
    else:
        form = ProgressForm(initial={"percent": assignment.percent, "version": assignment.version})
    recent = selectors.reports_for_queue(assignment.updates.with_review_state()).order_by(
        "-reported_at", "-pk"
    )[:3]
    return render(
        request, "reporting/progress_form.html", {"assignment": assignment, "form": form, "recent": recent}
    )


@require_http_methods(["GET", "POST"])
def report_review(request, pk):
    update, stage = access.report_for_user(request.user, pk, review=True)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_review(
                update=update,
                by=request.user,
                stage=stage,
                outcome=ReviewOutcome(form.cleaned_data["outcome"]),
                reason=form.cleaned_data["reason"],
            )
        except services.NotAwaiting:
            messages.error(request, _("Báo cáo này vừa được người khác xem xét; không ghi thêm."))
            return redirect("reporting:review_queue")
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Đã ghi kết quả xem xét báo cáo."))
            return redirect("reporting:review_queue")
    return render(request, "reporting/report_review.html", {"update": update, "stage": stage, "form": form})


def worklist(request):
    """Việc của tôi: what the person's unit has to do, by urgency, and what waits for the person's decision."""
    today = timezone.localdate()
    # The navigation's counts, read once: the page's own totals are the same figures.
    nav = selectors.nav_counts(request.user, today)
    return render(
        request,
        "reporting/worklist.html",
        {
            "today": today,
            "unit": request.user.unit,
            "nav": nav,
            "page": selectors.worklist(request.user, today, nav["parts"]),
            "soon_days": selectors.SOON_DAYS,
            "decisions_since_days": selectors.DECISIONS_SINCE_DAYS,
        },
    )


def review_queue(request):
    if not access.can_review_any(request.user):
        raise PermissionDenied
    queue = selectors.review_queue(request.user)
    sections = [
        (key, title, reports)
        for key, title, reports in [
            ("head", _("Chờ lãnh đạo đơn vị duyệt"), queue["head"]),
            ("city", _("Chờ Văn phòng UBND thành phố xác nhận"), queue["city"]),
        ]
        if reports is not None
    ]
    return render(
        request,
        "reporting/review_queue.html",
        {"queue": queue, "sections": sections, "show_extensions": queue["extensions"] is not None},
    )


@require_POST
def reports_confirm(request):
    """Confirm several reports at once: each must be awaiting this user's decision, or none is written."""
    if not access.can_review_any(request.user):
        raise PermissionDenied
    form = BulkConfirmForm(request.POST, choices=request.POST.getlist("reports"))
    if not form.is_valid():
        messages.error(request, _("Chọn ít nhất một báo cáo để xác nhận."))
        return redirect("reporting:review_queue")
    decisions = access.reports_for_user(request.user, form.cleaned_data["reports"])
    try:
        services.reports_review_many(decisions=decisions, by=request.user)
    except services.NotAwaiting:
        messages.error(
            request,
            _("Một báo cáo đã chọn vừa được người khác xem xét; chưa xác nhận báo cáo nào, hãy chọn lại."),
        )
    else:
        messages.success(request, _("Đã xác nhận %(n)d báo cáo.") % {"n": len(decisions)})
    return redirect("reporting:review_queue")


@require_http_methods(["GET", "POST"])
def extension_create(request, pk):
    assignment = access.assignment_for_user(request.user, pk, write=True, action="extend")
    form = ExtensionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_request(
                assignment=assignment,
                by=request.user,
                requested_due_on=form.cleaned_data["requested_due_on"],
                reason=form.cleaned_data["reason"],
                document_number=form.cleaned_data["document_number"],
                document_date=form.cleaned_data["document_date"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Đã gửi đề nghị gia hạn."))
            return redirect(assignment)
    return render(request, "reporting/extension_form.html", {"assignment": assignment, "form": form})


@require_http_methods(["GET", "POST"])
def extension_decide(request, pk):
    extension = access.extension_for_user(request.user, pk, decide=True)
    if hasattr(extension, "decision"):
        messages.error(request, _("Đề nghị gia hạn này đã có quyết định."))
        return redirect(extension.assignment)
    form = ExtensionDecisionForm(request.POST or None, initial={"granted_due_on": extension.requested_due_on})
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.extension_decide(
                request=extension,
                by=request.user,
                approved=form.cleaned_data["approved"],
                reason=form.cleaned_data["reason"],
                granted_due_on=form.cleaned_data["granted_due_on"],
                document_number=form.cleaned_data["document_number"],
                document_date=form.cleaned_data["document_date"],
            )
        except services.NotAwaiting:
            messages.error(request, _("Đề nghị gia hạn này vừa có quyết định của người khác."))
            return redirect(extension.assignment)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if decision.approved and not decision.effective:
                messages.warning(
                    request,
                    _(
                        "Đã ghi đồng ý gia hạn. Vì thời hạn đã qua trước khi duyệt, việc tính đúng hạn vẫn theo "
                        "thời hạn cũ."
                    ),
                )
            else:
                messages.success(request, _("Đã ghi quyết định gia hạn."))
            return redirect(extension.assignment)
    return render(request, "reporting/extension_decide.html", {"extension": extension, "form": form})


def evidence_download(request, pk):
    evidence = access.evidence_for_user(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.download_name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


CHASE_PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
def chase(request):
    """Đôn đốc: pick overdue assignments of the units one follows and remind them now, with a message."""
    today = timezone.localdate()
    scope = access.chase_scope(request.user, today)
    if scope is None:
        raise PermissionDenied
    search = request.GET.get("q", "")[:200]
    page = Paginator(selectors.overdue_to_chase(scope, today, search), CHASE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    form = ChaseForm(request.POST or None, choices=request.POST.getlist("assignments"))
    if request.method == "POST" and form.is_valid():
        chosen = access.assignments_to_chase(request.user, form.cleaned_data["assignments"], today)
        try:
            sent = chase_and_mail(
                by=request.user, assignments=chosen, message=form.cleaned_data["message"], today=today
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Đã đôn đốc %(tasks)d nhiệm vụ của %(units)d đơn vị; thư gửi tới %(people)d người.")
                % {
                    "tasks": len(chosen),
                    "units": len({a.unit_key for a in chosen}),
                    "people": len(sent.recipient_ids),
                },
            )
            if sent.unreached:
                messages.warning(
                    request,
                    _(
                        "Chưa có ai nhận được thư ở: %(units)s (đơn vị chưa có người nhận thư; đã báo quản trị)."
                    )
                    % {"units": ", ".join(sent.unreached)},
                )
            return redirect(request.get_full_path())
    return render(
        request,
        "reporting/chase.html",
        {"page": page, "form": form, "search": search, "today": today},
    )
