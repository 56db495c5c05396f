"""Referral letters: only the fields chosen for the referral, and only with consent."""

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import REFERRAL_FIELDS, Referral
from core.pdf import new_pdf


def field_value(person, field: str) -> str:
    """A shared field of the person as text: the letter, the partner's page and the API show the same."""
    return {
        "full_name": " / ".join(n for n in (person.full_name, person.full_name_original) if n),
        "date_of_birth": str(person.date_of_birth or person.birth_year),
        "sex": person.get_sex_display(),
        "nationality": str(person.nationality.name),
        "phone": str(person.phone or "—"),
        "document": f"{person.get_document_type_display()} {person.document_number}"
        if person.document_number
        else "—",
        "address": ", ".join(p for p in (person.district, person.neighbourhood) if p) or "—",
        "languages": ", ".join(person.languages) or "—",
    }[field]


def referral_letter_pdf(referral: Referral) -> bytes:
    case, person = referral.case, referral.case.beneficiary
    pdf = new_pdf(format="A4")
    pdf.add_page()
    pdf.set_font("NotoSans", size=10)
    pdf.cell(0, 6, f"{case.center.name} · {timezone.localdate()}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("NotoSans", size=16)
    pdf.cell(
        0,
        10,
        _("Referral to %(partner)s") % {"partner": referral.partner.name},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("NotoSans", size=11)
    pdf.cell(
        0,
        7,
        _("Urgency: %(urgency)s") % {"urgency": referral.get_urgency_display()},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    for field in referral.shared_fields:
        pdf.cell(60, 7, str(REFERRAL_FIELDS[field]))
        pdf.cell(0, 7, field_value(person, field), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 6, _("Reason for the referral: %(reason)s") % {"reason": referral.reason})
    pdf.ln(4)
    pdf.multi_cell(0, 6, _("Shared with the person's consent to referral data sharing."))
    return bytes(pdf.output())
