"""Evidence files: what the portal accepts, judged by the file's content, never by its name."""

from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

# MIME type (as detected from the content) → the extension the stored file gets.
ACCEPTED = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
}
ACCEPT_ATTRIBUTE = ".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png,.webp"
SAME_EXTENSION = {"jpg": {"jpg", "jpeg"}}


def name_with_extension(name: str, extension: str) -> str:
    """The uploader's name, ending in the extension of the type found in the content: a PDF named
    "ke-hoach.bat" is "ke-hoach.bat.pdf", so that no reviewer's computer opens it as a program or a page."""
    suffix = name.rsplit(".", 1)[1].lower() if "." in name else ""
    if suffix in SAME_EXTENSION.get(extension, {extension}):
        return name
    return f"{name[: 195 - len(extension)]}.{extension}"


@dataclass(frozen=True)
class EvidenceFile:
    """An upload that passed the checks, with the type found in its content."""

    file: UploadedFile
    original_name: str
    content_type: str
    extension: str
    size: int


def evidence_check(upload: UploadedFile) -> EvidenceFile:
    """Accept a PDF, Word, Excel or image file within the size limit. Raises ValidationError (Vietnamese)."""
    try:
        name = get_valid_filename(upload.name or "tep")[-200:]
    except SuspiciousFileOperation:
        name = "tep"
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” lớn %(size)s, vượt mức tối đa %(max)s."),
            code="too_large",
            params={"name": name, "size": filesizeformat(upload.size), "max": filesizeformat(limit)},
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head) if head else None
    if kind is None or kind.mime not in ACCEPTED:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không phải PDF, Word, Excel hay ảnh (JPEG, PNG, WebP) theo nội dung của tệp; "
                "đổi tên tệp không làm thay đổi nội dung."
            ),
            code="bad_type",
            params={"name": name},
        )
    return EvidenceFile(
        file=upload,
        original_name=name_with_extension(name, ACCEPTED[kind.mime]),
        content_type=kind.mime,
        extension=ACCEPTED[kind.mime],
        size=upload.size,
    )
