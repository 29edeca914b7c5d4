"""The portal's filters, defined once: list pages, exports and the API all use these FilterSets."""

import copy
from datetime import date, timedelta
from functools import partial
from types import SimpleNamespace

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cqdt_portal.lib import versions
from cqdt_portal.lib.vn import fold, parse_day
from cqdt_portal.lib.widgets import FastSelect, fast_widgets, kept_options
from org.models import Department, UnitKind
from plans.models import LegalDocument
from wards.models import District, Ward

from . import reference
from .models import Assignment, Task, TaskScope
from .status import Status, status_q

# How far down the chain "everything under a document" looks (resolution → decree → plan → decision …).
CHAIN_DEPTH = 5

# A text field in dd/mm/yyyy rather than <input type=date>, whose display follows the browser's language
# (mm/dd/yyyy on an English Chromium) instead of the Vietnamese convention.
ALL = _("Tất cả")

DATE_WIDGET = forms.DateInput(
    attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}, format="%d/%m/%Y"
)


def _under_document(prefix: str, document) -> Q:
    """Rows whose document is `document` or implements it at any depth up to CHAIN_DEPTH, in one SQL condition."""
    q = Q()
    path = f"{prefix}document"
    for _level in range(CHAIN_DEPTH):
        q |= Q(**{path: document})
        path += "__implements"
    return q


def _search(fields: list[str], value: str) -> Q:
    """The phrase (spaces collapsed) appears in one of the fields, ignoring diacritics and case."""
    phrase = " ".join(fold(value).split())
    q = Q()
    for field in fields:
        q |= Q(**{f"{field}__vn__contains": phrase})
    return q


class VietnameseOrderingFilter(filters.OrderingFilter):
    """django-filter's sort choices, labelled by model field (field_labels), with the descending choice in
    Vietnamese: the package ships no Vietnamese translation."""

    descending_fmt = _("%s (giảm dần)")


@extend_schema_field(OpenApiTypes.INT)
class DocumentFilter(filters.ModelChoiceFilter):
    """A document by id, including everything under it in the chain (the FilterSet's filter_document)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Văn bản (kể cả văn bản triển khai)"))
        super().__init__(
            widget=FastSelect, empty_label=ALL, queryset=LegalDocument.objects.all(), method="filter_document",
            **kwargs,
        )  # fmt: skip


class DepartmentFilter(filters.ModelChoiceFilter):
    """A department by its code (readable in a shared link)."""

    def __init__(self, **kwargs):
        super().__init__(
            widget=FastSelect,
            empty_label=ALL,
            to_field_name="code",
            queryset=Department.objects.all(),
            **kwargs,
        )


class RawNullBooleanSelect(forms.NullBooleanSelect):
    """The yes/no/either select, handing the field what was sent: Django's own reads anything unknown as
    "either", which would leave StrictBooleanField nothing to refuse."""

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class StrictBooleanField(forms.NullBooleanField):
    """true or false, as links write it; empty or the form's "unknown" for either. Anything else is refused rather
    than silently read as "either" (which would show every row to someone who asked for some)."""

    widget = RawNullBooleanSelect

    def to_python(self, value):
        if value in (None, "", "unknown"):
            return None
        if value in (True, "true", "True"):
            return True
        if value in (False, "false", "False"):
            return False
        raise ValidationError(_("Chọn “có” hoặc “không”."), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


@extend_schema_field(OpenApiTypes.STR)
class UnitCodeFilter(filters.ChoiceFilter):
    """A unit's code, chosen among the units of the as-of day (AssignmentFilter sets the choices)."""

    def __init__(self, **kwargs):
        super().__init__(widget=FastSelect, empty_label=ALL, choices=[], **kwargs)


# The form class of each FastFormFilterSet, built once (FastFormFilterSet.get_form_class).
_FORM_CLASSES: dict = {}


class FastFormFilterSet(filters.FilterSet):
    """A FilterSet whose form renders its inputs in Python (cqdt_portal/lib/widgets.py): the same HTML.

    Its selects list reference data (documents, departments, the units of the day: `reference_selects` names the
    list of each): their options come from what each process keeps of that data (tasks.reference.Reference.choices,
    cqdt_portal/lib/versions.py) and are written once per (data version, day, language), instead of five queries
    and ~350 options built on every request."""

    # {field name: the list it shows: "document", "department", "district" or "ward"}
    reference_selects: dict[str, str] = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter deep-copies every filter for each request, then builds every form field again from the
        # copies (about a tenth of a list page, bench/). The filters keep no state of a request but the two set
        # here: a shallow copy each is enough, and the form class is built once per FilterSet class
        # (get_form_class); what depends on the request (the units of the day) is set on each form's own fields.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = (
                    filter_.method
                )  # its FilterMethod, bound to this copy (and so to this parent)

    def get_form_class(self):
        cls = type(self)
        if cls not in _FORM_CLASSES:
            form_class = super().get_form_class()
            for field in form_class.base_fields.values():
                field.widget = copy.deepcopy(field.widget)  # not the filters' own: fast_widgets changes them
            fast_widgets(SimpleNamespace(fields=form_class.base_fields))  # before any form copies the fields
            _FORM_CLASSES[cls] = form_class
        return _FORM_CLASSES[cls]

    @property
    def form(self):
        built = hasattr(self, "_form")
        form = super().form
        if not built:
            self.prepare_form(form)
            self._keep_select_options(form)
        return form

    def prepare_form(self, form) -> None:
        """What a form's fields need from this request, set on the form's own copies."""

    @property
    def reference_token(self) -> str | None:
        """The reference data's version (versions.token): the one read with the signed-in user at the start of the
        request (accounts/backends.py) when the filter set has the request, else read now; once per filter set.
        A request that itself wrote reference data before building a filter form would see its options as they
        were when it began (no page does: imports and the admin redirect after writing)."""
        if not hasattr(self, "_reference_token"):
            user = getattr(self.request, "user", None)
            token = getattr(user, "reference_token", "") if user is not None else ""
            self._reference_token = versions.token("reference") if token == "" else token
        return self._reference_token

    def choices_day(self) -> date:
        """The day whose units the selects list."""
        return timezone.localdate()

    @property
    def reference(self) -> reference.Reference:
        """The reference data as of this filter set's token (tasks.reference): for the page's other reads."""
        if not hasattr(self, "_reference"):
            self._reference = reference.reference_objects(current=self.reference_token)
        return self._reference

    def reference_choices(self):
        return self.reference.choices(self.choices_day())

    def _keep_select_options(self, form):
        """Each reference select gets its options from what the process keeps, read when it is rendered: a page
        that shows two of the selects reads only their lists."""
        for name, source in self.reference_selects.items():
            field = form.fields[name]
            field.widget.kept_options = partial(self._kept_options, name, source, field.empty_label)

    def _kept_options(self, name, source, empty_label):
        def build():
            empty = [("", empty_label)] if empty_label is not None else []
            return kept_options(empty + [(row[0], row[-1]) for row in self.reference_choices()[source]])

        return versions.remembered(
            "reference",
            ("select-options", type(self).__qualname__, name, self.choices_day(), get_language()),
            build,
            current=self.reference_token,
        )


class AssignmentFilter(FastFormFilterSet):
    reference_selects = {
        "document": "document",
        "lead": "department",
        "department": "department",
        "district": "district",
        "ward": "ward",
    }
    # The records begin in the 20th century; the stale-days arithmetic needs room before the day.
    as_of = filters.DateFilter(
        label=_("Tính đến ngày"),
        method="filter_nothing",
        widget=DATE_WIDGET,
        validators=[MinValueValidator(date(1900, 1, 1))],
    )
    q = filters.CharFilter(label=_("Tìm kiếm"), method="filter_search", max_length=200)
    document = DocumentFilter()
    task = filters.ModelChoiceFilter(
        empty_label=ALL, label=_("Nhiệm vụ"), queryset=Task.objects.all(), widget=forms.HiddenInput
    )
    lead = DepartmentFilter(label=_("Đơn vị chủ trì"), field_name="task__lead_department")
    unit_kind = filters.ChoiceFilter(
        empty_label=ALL, label=_("Loại đơn vị"), choices=UnitKind.choices, method="filter_unit_kind"
    )
    department = DepartmentFilter(label=_("Sở, ngành được giao"))
    # A unit by its code: the unit that had that code on the as-of day (a code names a unit only within its
    # lifespan; the 2025 list gave old codes to new units). The choices are that day's units.
    district = UnitCodeFilter(label=_("Quận, thị xã (kể cả các phường)"), method="filter_district")
    ward = UnitCodeFilter(label=_("Phường, xã"), method="filter_ward")
    # Filtered with plain date conditions (selectors.status_q) rather than on the CASE annotation, so that
    # PostgreSQL can use the date indexes; no DISTINCT: a status is one value per row (bench/, docs/benchmarks.md).
    status = filters.MultipleChoiceFilter(
        label=_("Tình trạng"),
        choices=Status.choices,
        method="filter_status",
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stale_days = filters.NumberFilter(
        label=_("Chưa cập nhật quá (ngày)"), method="filter_stale", min_value=1, max_value=3650
    )
    due_from = filters.DateFilter(
        label=_("Hạn từ ngày"), field_name="due_on", lookup_expr="gte", widget=DATE_WIDGET
    )
    due_to = filters.DateFilter(
        label=_("Hạn đến ngày"), field_name="due_on", lookup_expr="lte", widget=DATE_WIDGET
    )
    completed_from = filters.DateFilter(
        label=_("Hoàn thành từ ngày"), field_name="completed_on", lookup_expr="gte", widget=DATE_WIDGET
    )
    completed_to = filters.DateFilter(
        label=_("Hoàn thành đến ngày"), field_name="completed_on", lookup_expr="lte", widget=DATE_WIDGET
    )
    escalated = StrictBooleanFilter(
        label=_("Đã báo cáo lãnh đạo (quá hạn sau nhiều lần nhắc)"),
        field_name="escalated_at",
        lookup_expr="isnull",
        exclude=True,
    )
    order = VietnameseOrderingFilter(
        label=_("Sắp xếp"),
        fields=(
            ("due_on", "due"),
            ("percent", "percent"),
            ("completed_on", "completed"),
            ("last_reported_at", "reported"),
            ("task__title", "task"),
            ("status", "status"),
        ),
        field_labels={
            "due_on": _("Thời hạn"),
            "percent": _("Tiến độ"),
            "completed_on": _("Ngày hoàn thành"),
            "last_reported_at": _("Báo cáo gần nhất"),
            "task__title": _("Nhiệm vụ"),
            "status": _("Tình trạng"),
        },
    )

    class Meta:
        model = Assignment
        fields = []

    @property
    def as_of_date(self):
        """The date statuses are computed at: the `as_of` filter, or today."""
        if not self.is_bound or not (self.form.is_valid() or "as_of" not in self.form.errors):
            return timezone.localdate()
        return self.form.cleaned_data.get("as_of") or timezone.localdate()

    def filter_queryset(self, queryset):
        # As of a day, only the assignments that existed that day (given by then, not yet handed over).
        as_of = self.as_of_date
        queryset = super().filter_queryset(queryset.existing_on(as_of).with_status(as_of))
        # A stable order for pagination: the chosen sort (or the deadline), then the primary key.
        return queryset.order_by(*(queryset.query.order_by or ["due_on"]), "pk")

    def filter_nothing(self, queryset, name, value):
        return queryset  # as_of only sets the date statuses are computed at (see filter_queryset)

    def filter_status(self, queryset, name, value):
        condition = Q()
        for status in value:
            condition |= status_q(Status(status), self.as_of_date)
        return queryset.filter(condition)

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            _search(
                ["task__title", "department__name", "district__name", "ward__name", "ward__district__name"],
                value,
            )
        )

    def filter_document(self, queryset, name, value):
        return queryset.filter(_under_document("task__", value))

    def filter_unit_kind(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self._day = parse_day((data or {}).get("as_of")) or timezone.localdate()

    def prepare_form(self, form) -> None:
        # The units of the as-of day, on this form's own fields (a field built on the class, as the API schema
        # builds them, has none). Callables: read only when the form shows the field or a code is given.
        form.fields["district"].choices = lambda: [
            (code, label) for code, _pk, label in self.reference_choices()["district"]
        ]
        form.fields["ward"].choices = lambda: [
            (code, label) for code, _pk, label in self.reference_choices()["ward"]
        ]

    def choices_day(self) -> date:
        return self._day

    def unit_pk(self, model, code: str) -> int | None:
        """The id of the unit of `model` (District or Ward) that had `code` on the as-of day."""
        units = self.reference_choices()["district" if model is District else "ward"]
        return next((pk for c, pk, _label in units if c == code), None)

    def filter_district(self, queryset, name, value):
        district = self.unit_pk(District, value)
        return queryset.for_district(district) if district else queryset.none()

    def filter_ward(self, queryset, name, value):
        ward = self.unit_pk(Ward, value)
        return queryset.filter(ward=ward) if ward else queryset.none()

    def filter_stale(self, queryset, name, value):
        """Not done and no report for more than `value` days before the as-of date (never reported counts)."""
        as_of = self.as_of_date
        cutoff = timezone.make_aware(
            timezone.datetime.combine(as_of - timedelta(days=int(value)), timezone.datetime.min.time())
        )
        not_done = Q(completed_on__isnull=True) | Q(completed_on__gt=as_of)
        return queryset.filter(not_done & (Q(last_reported_at__isnull=True) | Q(last_reported_at__lt=cutoff)))


class TaskFilter(FastFormFilterSet):
    reference_selects = {"document": "document", "lead": "department"}
    q = filters.CharFilter(label=_("Tìm kiếm"), method="filter_search", max_length=200)
    document = DocumentFilter()
    lead = DepartmentFilter(label=_("Đơn vị chủ trì"), field_name="lead_department")
    scope = filters.ChoiceFilter(empty_label=ALL, label=_("Phạm vi giao"), choices=TaskScope.choices)
    due_from = filters.DateFilter(
        label=_("Hạn từ ngày"), field_name="due_on", lookup_expr="gte", widget=DATE_WIDGET
    )
    due_to = filters.DateFilter(
        label=_("Hạn đến ngày"), field_name="due_on", lookup_expr="lte", widget=DATE_WIDGET
    )
    order = VietnameseOrderingFilter(
        label=_("Sắp xếp"),
        fields=(("due_on", "due"), ("title", "title"), ("n_overdue", "overdue")),
        field_labels={
            "due_on": _("Thời hạn"),
            "title": _("Tên nhiệm vụ"),
            "n_overdue": _("Số đơn vị quá hạn"),
        },
    )

    class Meta:
        model = Task
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(_search(["title", "description", "section"], value))

    def filter_document(self, queryset, name, value):
        return queryset.filter(_under_document("", value))
