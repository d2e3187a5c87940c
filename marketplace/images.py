"""Uploaded images: validated with Pillow and re-encoded, never served as uploaded.

Re-encoding keeps the pixels and nothing else the file carried (scripts in polyglots’
comments or metadata, EXIF with GPS, ICC and XMP),
and the pixel limit is checked from the header before any pixel is decoded, so a small
file that expands to gigabytes (a decompression bomb) is refused without being loaded.
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace.errors import DomainError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class ImageRejected(DomainError):
    pass


def reencode_image(
    upload: UploadedFile, *, max_bytes: int, max_pixels: int, max_side: int, square: bool = False
) -> ContentFile:
    """Return the upload as a fresh JPEG no larger than `max_side`, or raise ImageRejected."""
    if upload.size is not None and upload.size > max_bytes:
        raise ImageRejected(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in ALLOWED_FORMATS:
                raise ImageRejected(_("Upload a JPEG, PNG, WebP or GIF image."))
            width, height = image.size
            if width * height > max_pixels:
                raise ImageRejected(
                    _("The image is %(w)s×%(h)s pixels; the limit is %(mp)s megapixels.")
                    % {"w": width, "h": height, "mp": max_pixels // 1_000_000}
                )
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(
            _("The image has too many pixels; the limit is %(mp)s megapixels.") % {"mp": max_pixels // 1_000_000}
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRejected(_("The file is not a valid image, or it is damaged.")) from None

    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.split()[-1])
        image = background
    else:
        image = image.convert("RGB")
    if square:
        image = ImageOps.fit(image, (max_side, max_side), Image.Resampling.LANCZOS)
    else:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # From the pixels alone: `convert` and `thumbnail` carry the upload's `info` along, and
    # Pillow writes its comment (a polyglot's <script>), ICC profile and XMP back into the
    # JPEG. Orientation was applied above, so no EXIF is needed either.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def thumbnail_image(stored, *, size: tuple[int, int]) -> ContentFile:
    """A card-sized JPEG cut from an image we stored (already re-encoded by `reencode_image`),
    again from its pixels alone."""
    with stored.open("rb") as handle, Image.open(handle) as source:
        thumb = ImageOps.fit(source.convert("RGB"), size, Image.Resampling.LANCZOS)
    clean = Image.frombytes(thumb.mode, thumb.size, thumb.tobytes())
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=82, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name="thumb.jpg")


def reencode_showcase_images(files) -> list[ContentFile]:
    """Gig and portfolio images: each re-encoded from its pixels within the gig images' limits,
    all of them before anything is written (a bad upload changes nothing)."""
    return [
        reencode_image(
            upload,
            max_bytes=settings.GIG_IMAGE_MAX_BYTES,
            max_pixels=settings.GIG_IMAGE_MAX_PIXELS,
            max_side=settings.GIG_IMAGE_SIDE,
        )
        for upload in files
    ]


def image_rows_delete(images) -> None:
    """Delete image rows (an `image` and a `thumbnail` field each) and, once the transaction
    has committed, their files: a rolled-back delete keeps both."""
    for image in images:
        names = [image.image.name, image.thumbnail.name if image.thumbnail else ""]
        storage = image.image.storage
        image.delete()
        transaction.on_commit(lambda names=names, storage=storage: [storage.delete(n) for n in names if n])
