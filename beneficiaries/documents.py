"""Identity documents and their check digits.

The Turkish ID number (T.C. kimlik no) and the foreigner ID number
(yabancı kimlik no, given to people under temporary or international
protection) share one 11-digit format and checksum; python-stdnum validates
it. Foreigner numbers start with 99.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.tr import tckimlik


class DocumentType(models.TextChoices):
    FOREIGNER_ID = "foreigner_id", _("Foreigner ID number (99…)")
    TURKISH_ID = "turkish_id", _("Turkish ID number (T.C.)")
    PASSPORT = "passport", _("Passport")
    UNHCR = "unhcr", _("UNHCR document")
    OTHER = "other", _("Other document")


def normalize_document_number(number: str) -> str:
    return re.sub(r"[\s\-./]", "", number or "").upper()


def validate_document(document_type: str, number: str) -> None:
    if document_type not in (DocumentType.FOREIGNER_ID, DocumentType.TURKISH_ID):
        if not re.fullmatch(r"[A-Z0-9]{4,30}", number):
            raise ValidationError(_("Use 4 to 30 letters and digits."))
        return
    if not re.fullmatch(r"\d{11}", number):
        raise ValidationError(_("This number has 11 digits."))
    if document_type == DocumentType.FOREIGNER_ID and not number.startswith("99"):
        raise ValidationError(_("A foreigner ID number starts with 99."))
    if document_type == DocumentType.TURKISH_ID and number.startswith("99"):
        raise ValidationError(_("A number starting with 99 is a foreigner ID number."))
    try:
        tckimlik.validate(number)
    except StdnumError as exc:
        raise ValidationError(_("The check digits do not match: please check the number.")) from exc
