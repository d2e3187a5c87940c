"""Private files (order files, message attachments, request files): where they are kept,
how uploads are checked, and how an access-checked view answers with one.

They live in their own storage (`PRIVATE_MEDIA_ROOT`, outside `MEDIA_ROOT`), so no public
route, nor a proxy serving MEDIA_ROOT, can ever reach one, whatever its path normalises to.
"""

import mimetypes
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import UploadedFile
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils.functional import LazyObject, empty
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


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no public address, under `PRIVATE_MEDIA_ROOT`: only a view that checked who
    asks may open them. The folder is read from the settings each time (tests move it)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL: serve them through an access-checked view.")


class PrivateStorage(LazyObject):
    """`STORAGES["private"]`, looked up when first used (and again after the setting changes,
    as Django does for `default_storage`): the file fields hold this, not a fixed instance."""

    def _setup(self):
        self._wrapped = storages["private"]


private_files = PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_files._wrapped = empty


def private_storage():
    return private_files


def is_local(storage) -> bool:
    """Whether the storage is the disk (else object storage, whose files are handed out as
    signed URLs)."""
    wrapped = storage._wrapped if isinstance(storage, LazyObject) else storage
    if wrapped is empty:
        storage._setup()
        wrapped = storage._wrapped
    return isinstance(wrapped, FileSystemStorage)


# Served with their own type (still as a download, sandboxed): what browsers show and never
# run. Anything else (HTML, SVG, XML, scripts) is sent as bytes.
PASSIVE_TYPES = {
    "application/pdf", "application/zip", "application/x-zip-compressed", "application/x-rar-compressed",
    "application/vnd.rar", "application/x-7z-compressed", "application/gzip", "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint", "application/vnd.oasis.opendocument.text", "application/rtf",
    "image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/vnd.adobe.photoshop",
    "text/plain", "text/csv", "audio/mpeg", "audio/wav", "audio/ogg", "video/mp4", "video/webm", "video/quicktime",
    "font/ttf", "font/otf", "font/woff", "font/woff2", "application/postscript",
}  # fmt: skip


def private_file_response(field_file, *, filename: str, inline_image: bool = False) -> FileResponse:
    """A private file for someone the view has checked: a download (or, for an image we
    re-encoded ourselves, shown inline), never kept by shared caches, never sniffed into
    another type, and sandboxed so that whatever it holds never runs as a page of our site."""
    if not is_local(field_file.storage):
        return _signed_redirect(field_file, filename=filename, inline_image=inline_image)
    if inline_image:
        response = FileResponse(field_file.open("rb"), content_type="image/jpeg", filename=filename)
        response["Cache-Control"] = "private, max-age=3600"
    else:
        guessed, _encoding = mimetypes.guess_type(filename)
        content_type = guessed if guessed in PASSIVE_TYPES else "application/octet-stream"
        response = FileResponse(field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
        response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _signed_redirect(field_file, *, filename: str, inline_image: bool) -> HttpResponseRedirect:
    """The same answer from object storage: a redirect to a URL signed for
    `S3_SIGNED_URL_SECONDS`, whose response headers are forced by the signature (the type,
    a download, no caching), so the bucket answers as this site would. The bytes come from
    the bucket's own origin, never ours, so even a file that could run runs nowhere near our
    cookies; nosniff and the sandbox cannot be signed into the URL."""
    from django.utils.http import content_disposition_header

    if inline_image:
        content_type, disposition, cache = "image/jpeg", content_disposition_header(False, filename), "private"
    else:
        guessed, _encoding = mimetypes.guess_type(filename)
        content_type = guessed if guessed in PASSIVE_TYPES else "application/octet-stream"
        disposition, cache = content_disposition_header(True, filename), "private, no-store"
    url = field_file.storage.url(
        field_file.name,
        parameters={
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
            "ResponseCacheControl": cache,
        },
        expire=settings.S3_SIGNED_URL_SECONDS,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"  # the URL expires: never keep the redirect
    response["Referrer-Policy"] = "no-referrer"
    return response


def move_private_files_out_of_media(*, media_root, private_root) -> int:
    """Move what older versions kept in MEDIA_ROOT/private/ to PRIVATE_MEDIA_ROOT/private/,
    under the same names (the rows keep pointing at them). Safe to run again: a file
    already moved is left alone. Returns how many files moved."""
    from pathlib import Path

    source, target = Path(media_root) / "private", Path(private_root) / "private"
    if not source.is_dir():
        return 0
    moved = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        destination = target / path.relative_to(source)
        if destination.exists():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.stat().st_dev == destination.parent.stat().st_dev:
            path.replace(destination)
        else:  # another file system: a rename cannot cross it
            _copy_then_remove(path, destination)
        moved += 1
    for folder in sorted((p for p in source.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if not any(source.iterdir()):
        source.rmdir()
    return moved


def _copy_then_remove(path, destination) -> None:
    import shutil

    shutil.copy2(path, destination)
    path.unlink()
