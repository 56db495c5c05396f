"""One way to start a PDF: fonts from packages, Arabic and Persian shaped by HarfBuzz."""

import fontpkg_noto_sans
import fontpkg_noto_sans_arabic
from fpdf import FPDF


def font_path(package) -> str:
    # The upright variable font (the packages also ship an italic one).
    return str(next(p for p in (package.ROOT / "files").glob("*.ttf") if "Italic" not in p.name))


def new_pdf(**fpdf_options) -> FPDF:
    """An FPDF with "NotoSans" (regular and, for table headings, bold) falling back to Noto Sans
    Arabic, so a name in any script the centres see prints correctly, right to left where needed.

    Both fonts are registered in both styles: a fallback font is only used for a style it has, so without
    an Arabic "B" every bold heading written in Arabic came out blank."""
    pdf = FPDF(**fpdf_options)
    regular = font_path(fontpkg_noto_sans)
    arabic = font_path(fontpkg_noto_sans_arabic)
    for style in ("", "B"):
        pdf.add_font("NotoSans", style=style, fname=regular)
        pdf.add_font("NotoSansArabic", style=style, fname=arabic)
    pdf.set_fallback_fonts(["NotoSansArabic"], exact_match=False)
    pdf.set_text_shaping(True)
    return pdf
