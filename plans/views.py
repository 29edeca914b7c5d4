from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from .models import LegalDocument


def document_list(request):
    documents = LegalDocument.objects.select_related("implements").annotate(n_tasks=Count("tasks"))
    return render(request, "plans/document_list.html", {"documents": documents})


def document_detail(request, pk):
    document = get_object_or_404(LegalDocument.objects.select_related("implements__implements"), pk=pk)
    return render(
        request,
        "plans/document_detail.html",
        {
            "document": document,
            "ancestors": document.ancestors(),
            "implementations": document.implementations.all(),
            "tasks": document.tasks.select_related("lead_department").annotate(
                n_assignments=Count("assignments")
            ),
        },
    )
