"""Completion certificates for language and vocational courses."""

from django.utils.translation import gettext as _

from core.pdf import new_pdf
from services.models import Enrollment


def certificate_pdf(enrollment: Enrollment) -> bytes:
    activity, person = enrollment.activity, enrollment.beneficiary
    pdf = new_pdf(orientation="landscape", format="A4")
    pdf.add_page()
    pdf.set_font("NotoSans", size=28)
    pdf.ln(30)
    pdf.cell(0, 16, _("Certificate of completion"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", size=20)
    pdf.ln(10)
    pdf.cell(0, 12, person.full_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSans", size=14)
    pdf.ln(6)
    text = _("completed “%(activity)s” at %(center)s, %(start)s – %(end)s.") % {
        "activity": activity.name,
        "center": activity.center.name,
        "start": activity.starts_on,
        "end": activity.ends_on,
    }
    pdf.multi_cell(0, 8, text, align="C")
    pdf.ln(6)
    pdf.cell(0, 8, person.registration_number, align="C")
    return bytes(pdf.output())
