"""The first page of a kept PDF as a picture, for the preview page (pypdfium2, PDFium's renderer).

Made in memory for each request and never stored: a rendered page is a copy of personal data, and a copy on
disk would outlive the document's deletion. The work is bounded: only files within DOCUMENT_MAX_BYTES, only
page 0, a page of sane size, and a picture of at most MAX_WIDTH × MAX_HEIGHT pixels.
"""

import io
import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .files import max_bytes

# Wide enough to read a letter on a laptop; A4 portrait comes out 1000 × 1415.
MAX_WIDTH = 1000
MAX_HEIGHT = 2000
# PDF's own limit for a page side, 200 inches in points; a bigger or empty page is a forged file.
MAX_PAGE_POINTS = 14_400
# PDFium may not be called from two threads at once (pypdfium2's documentation).
_PDFIUM = threading.Lock()


class CannotRender(Exception):
    """Damaged, locked with a password, too large or of absurd size: the preview keeps to its text."""


def first_page_png(data: bytes) -> bytes:
    """Page 1 of the PDF as a PNG at most MAX_WIDTH wide and MAX_HEIGHT high; CannotRender otherwise."""
    if len(data) > max_bytes():
        raise CannotRender("larger than DOCUMENT_MAX_BYTES")
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            raise CannotRender("PDFium cannot open it") from None
        try:
            picture = _render_first_page(pdf)
        finally:
            pdf.close()
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _render_first_page(pdf):
    # Uploads refuse PDFs with a password (files.pdf_info); one with only an owner password opens here.
    if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf) != -1:
        raise CannotRender("encrypted")
    if len(pdf) < 1:
        raise CannotRender("no pages")
    try:
        # Read from the page tree without loading the page: a forged size costs nothing to refuse.
        width, height = pdf.get_page_size(0)
    except pdfium.PdfiumError:
        raise CannotRender("no page size") from None
    if not (1 <= width <= MAX_PAGE_POINTS and 1 <= height <= MAX_PAGE_POINTS):
        raise CannotRender("absurd page size")
    # A hair smaller: render() rounds the size up, and 595.28 × (1000 / 595.28) may come out 1000.0000001.
    scale = min(MAX_WIDTH / width, MAX_HEIGHT / height) * (1 - 1e-9)
    try:
        page = pdf[0]
        try:
            return page.render(scale=scale, may_draw_forms=False).to_pil()
        finally:
            page.close()
    except (pdfium.PdfiumError, ValueError):
        raise CannotRender("PDFium cannot draw it") from None
