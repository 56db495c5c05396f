"""Small real files (a PNG, a JPEG carrying GPS EXIF, a PDF) and documents made through the service."""

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF
from PIL import ExifTags, Image
from pypdf import PdfWriter

from documents import services
from documents.files import check_upload
from documents.models import Kind


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps_bytes() -> bytes:
    """A JPEG as a phone writes it: camera make and model, and where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 55.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (32.0, 51.0, 10.0)
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def pdf_bytes(*, pages: int = 2, title: str = "Reply of the Ministry of Health") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_a_black_square_bytes() -> bytes:
    """An A4 page (210 × 297 mm) with a black square from 20 mm to 120 mm on both sides, and nothing else."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")
    return bytes(pdf.output())


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_document(person, *, by, kind=Kind.IDENTITY, case=None, name="scan.png", content=None):
    checked = check_upload(upload(name, content if content is not None else png_bytes()))
    if kind == Kind.PHOTO:
        return services.photo_set(
            person=person, center=person.center, by=by, checked=checked, token=uuid.uuid4()
        )[0]
    document, _created = services.document_upload(
        person=person, case=case, center=person.center, by=by, kind=kind, checked=checked, token=uuid.uuid4()
    )
    return document
