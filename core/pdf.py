"""One way to start a PDF: fonts from packages, Arabic and Persian shaped by HarfBuzz."""

import fontpkg_noto_sans
import fontpkg_noto_sans_arabic
from fpdf import FPDF


def font_path(package) -> str:
    # The upright variable font (the packages also ship an italic one).
    return str(next(p for p in (package.ROOT / "files").glob("*.ttf") if "Italic" not in p.name))


def new_pdf(**fpdf_options) -> FPDF:
    """An FPDF with "NotoSans" (regular and, for table headings, bold) falling back to Noto Sans
    Arabic, so a name in any script the centres see prints correctly, right to left where needed."""
    pdf = FPDF(**fpdf_options)
    regular = font_path(fontpkg_noto_sans)
    pdf.add_font("NotoSans", fname=regular)
    pdf.add_font("NotoSans", style="B", fname=regular)
    pdf.add_font("NotoSansArabic", fname=font_path(fontpkg_noto_sans_arabic))
    pdf.set_fallback_fonts(["NotoSansArabic"])
    pdf.set_text_shaping(True)
    return pdf
