"""What an uploaded file really is, read from its content, never from its name.

Only PDF, JPEG and PNG are kept. ``filetype`` reads the first bytes; then the file is opened as what it
claims to be, so a damaged or disguised file is refused before anything is stored. Images are decoded and
encoded again: what is kept is the picture alone, without the camera's EXIF block (GPS position, device,
time) or any other metadata a JPEG or PNG can carry.
"""

import hashlib
import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
ALLOWED = (PDF, JPEG, PNG)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# A small file can unpack to a huge picture; a scan at 600 dpi of an A4 page is about 35 million pixels.
MAX_PIXELS = 40_000_000
# A photo for the card needs no more than this on its longest side.
PHOTO_MAX_SIDE = 800


def max_bytes() -> int:
    return getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    original_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    title: str


def _too_large():
    return ValidationError(
        _("The file is too large: at most %(size)s.") % {"size": filesizeformat(max_bytes())},
        code="too_large",
    )


def _reencoded(data: bytes, content_type: str, *, max_side: int | None = None) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The picture is too large to keep."), code="too_many_pixels")
            image.load()  # decodes every byte: a truncated or damaged image fails here
            # The EXIF orientation goes with the metadata: turn the picture the way the camera held it first.
            picture = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        raise ValidationError(_("The picture is damaged and cannot be opened."), code="damaged") from None
    if max_side:
        picture.thumbnail((max_side, max_side))
    out = io.BytesIO()
    # Saved without exif=, icc_profile= or pnginfo=: nothing but the pixels is written.
    if content_type == JPEG:
        picture.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
    else:
        if picture.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I"):
            picture = picture.convert("RGBA")
        picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def pdf_info(data: bytes) -> PdfInfo:
    """Pages and title of a PDF; ValidationError when it cannot be read or is locked with a password."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is protected by a password: save it without one, then upload it."),
                code="encrypted",
            )
        pages = len(reader.pages)
        title = (reader.metadata.title if reader.metadata else None) or ""
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a hostile PDF can make the parser raise nearly anything
        raise ValidationError(_("The PDF is damaged and cannot be opened."), code="damaged") from None
    if pages < 1:
        raise ValidationError(_("The PDF has no pages."), code="damaged")
    return PdfInfo(pages=pages, title=str(title)[:200])


def check_upload(upload, *, photo: bool = False) -> CheckedFile:
    """The upload as it will be kept (images re-encoded), or a ValidationError saying why it is refused."""
    if upload.size > max_bytes():
        raise _too_large()
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise _too_large()
    kind = filetype.guess(data)
    allowed = (JPEG, PNG) if photo else ALLOWED
    if kind is None or kind.mime not in allowed:
        if photo:
            raise ValidationError(_("A photo must be a JPEG or PNG picture."), code="wrong_type")
        raise ValidationError(
            _("Only PDF, JPEG and PNG files can be kept. This file is of another kind."), code="wrong_type"
        )
    if kind.mime == PDF:
        pdf_info(data)
    else:
        data = _reencoded(data, kind.mime, max_side=PHOTO_MAX_SIDE if photo else None)
    name = (getattr(upload, "name", "") or "").replace("\x00", "").strip()[-200:] or _("file")
    return CheckedFile(content=data, content_type=kind.mime, original_name=name)
