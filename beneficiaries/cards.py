"""Registration cards: a QR code that carries only the number and card version, and the person's photo
where they consented to it."""

import base64
import io
from collections.abc import Callable

import segno

from beneficiaries.models import Beneficiary
from core.pdf import new_pdf

CARD_MM = (85.6, 54.0)  # ID-1, the size of a bank card
PHOTO_MM = (12.0, 15.0)  # top right, above the QR code

# Where the photo comes from: documents (below beneficiaries in DESIGN.md's table) registers a function
# person -> JPEG/PNG bytes, or None when there is no photo or no consent to one.
_photo_sources: list[Callable] = []


def card_photo_with(source: Callable) -> None:
    _photo_sources[:] = [source]


def card_photo(person: Beneficiary) -> bytes | None:
    return _photo_sources[0](person) if _photo_sources else None


def card_photo_src(person: Beneficiary) -> str | None:
    """The card's photo for the card page, inline (``data:``), so the page prints what the PDF prints."""
    photo = card_photo(person)
    if not photo:
        return None
    kind = "image/png" if photo.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(photo).decode()}"


def card_qr(person: Beneficiary) -> segno.QRCode:
    return segno.make(person.card_payload, error="m")


def card_qr_svg(person: Beneficiary) -> str:
    return card_qr(person).svg_inline(scale=4, title=person.registration_number)


def card_pdf(person: Beneficiary) -> bytes:
    # fpdf2 takes the portrait size and turns it for landscape.
    pdf = new_pdf(orientation="landscape", unit="mm", format=(CARD_MM[1], CARD_MM[0]))
    pdf.set_margins(4, 4, 4)
    pdf.set_auto_page_break(False)
    pdf.add_page()

    pdf.set_font("NotoSans", size=7)
    pdf.cell(0, 4, person.center.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", size=11)
    pdf.cell(50, 6, person.full_name, new_x="LMARGIN", new_y="NEXT")
    if person.full_name_original:
        pdf.set_font("NotoSansArabic", size=11)
        pdf.cell(50, 6, person.full_name_original, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", size=10)
    pdf.ln(2)
    pdf.cell(50, 5, person.registration_number, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", size=6)
    pdf.cell(50, 4, f"v{person.card_version}", new_x="LMARGIN", new_y="NEXT")

    png = io.BytesIO()
    card_qr(person).save(png, kind="png", scale=8, border=1)
    png.seek(0)
    pdf.image(png, x=CARD_MM[0] - 30, y=CARD_MM[1] - 30, w=26, h=26)
    photo = card_photo(person)
    if photo:
        x = CARD_MM[0] - 4 - PHOTO_MM[0]
        pdf.image(io.BytesIO(photo), x=x, y=8.5, w=PHOTO_MM[0], h=PHOTO_MM[1], keep_aspect_ratio=True)
    return bytes(pdf.output())
