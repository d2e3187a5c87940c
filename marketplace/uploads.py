"""Checks for private file uploads (order files, message attachments)."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from marketplace.errors import DomainError


class UploadRejected(DomainError):
    pass


def clean_filename(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*').strip(" .")
    return cleaned[:200] or "file"


def check_uploads(files: list[UploadedFile], *, max_bytes: int, max_files: int) -> None:
    """Refuse the whole batch if one file is too large, executable, or there are too many."""
    if len(files) > max_files:
        raise UploadRejected(_("At most %(n)s files at once.") % {"n": max_files})
    for upload in files:
        name = clean_filename(upload.name or "")
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension in settings.BLOCKED_FILE_EXTENSIONS:
            raise UploadRejected(
                _("“%(name)s”: programs and scripts cannot be attached. Pack them into a ZIP archive.") % {"name": name}
            )
        if upload.size > max_bytes:
            raise UploadRejected(
                _("“%(name)s” is too large (%(size)s); the limit is %(limit)s.")
                % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
            )
        if upload.size == 0:
            raise UploadRejected(_("“%(name)s” is empty.") % {"name": name})
