"""Registration cards: a QR code that carries only the number and card version."""

import io

import fontpkg_noto_sans
import fontpkg_noto_sans_arabic
import segno
from fpdf import FPDF

from .models import Beneficiary

CARD_MM = (85.6, 54.0)  # ID-1, the size of a bank card


def card_qr(person: Beneficiary) -> segno.QRCode:
    return segno.make(person.card_payload, error="m")


def card_qr_svg(person: Beneficiary) -> str:
    return card_qr(person).svg_inline(scale=4, title=person.registration_number)


def font_path(package) -> str:
    # The upright variable font (the packages also ship an italic one).
    return str(next(p for p in (package.ROOT / "files").glob("*.ttf") if "Italic" not in p.name))


def card_pdf(person: Beneficiary) -> bytes:
    # fpdf2 takes the portrait size and turns it for landscape.
    pdf = FPDF(orientation="landscape", unit="mm", format=(CARD_MM[1], CARD_MM[0]))
    pdf.set_margins(4, 4, 4)
    pdf.set_auto_page_break(False)
    # Noto Sans for Latin and Turkish, Noto Sans Arabic for Arabic and Persian
    # names; HarfBuzz shapes the Arabic letters and sets them right to left.
    pdf.add_font("NotoSans", fname=font_path(fontpkg_noto_sans))
    pdf.add_font("NotoSansArabic", fname=font_path(fontpkg_noto_sans_arabic))
    pdf.set_fallback_fonts(["NotoSansArabic"])
    pdf.set_text_shaping(True)
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
    return bytes(pdf.output())
