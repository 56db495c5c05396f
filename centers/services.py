"""Writes for centres, rooms, staff and money. Views and commands call these."""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .models import Center, CostEntry, FundingSource, Membership, Role, Room


def _save(instance):
    """full_clean then save; a lost race on a unique constraint becomes a form error."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(_("This record was just saved by someone else; reload the page.")) from exc
    return instance


def room_create(
    *, center: Center, name: str, floor: int, capacity: int, purpose: str = "", is_active: bool = True
) -> Room:
    return _save(
        Room(center=center, name=name, floor=floor, capacity=capacity, purpose=purpose, is_active=is_active)
    )


def room_update(*, room: Room, **fields) -> Room:
    for name, value in fields.items():
        setattr(room, name, value)
    return _save(room)


def staff_create(
    *,
    username: str,
    password: str,
    center_code: str | None,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
):
    """Create (or extend) a staff account with a role in a centre.

    Raises ValidationError for an unknown centre or role, a centre given for a
    national role, or a weak password; nothing is saved in that case.
    """
    if role not in Role.values:
        raise ValidationError(
            _("Unknown role “%(role)s”. Choose one of: %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)}
        )
    center = None
    if center_code:
        center = Center.objects.filter(code=center_code.upper()).first()
        if center is None:
            raise ValidationError(
                _("Unknown centre “%(code)s”. Known centres: %(codes)s.")
                % {
                    "code": center_code,
                    "codes": ", ".join(Center.objects.values_list("code", flat=True)) or "—",
                }
            )
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first_name, last_name=last_name, email=email)
            validate_password(password, user)
            user.set_password(password)
            user.full_clean()
            user.save()
        membership = Membership(user=user, center=center, role=role)
        membership.full_clean(validate_unique=False, validate_constraints=False)
        Membership.objects.get_or_create(user=user, center=center, role=role)
    return user


# ---------------------------------------------------------------- money


def cost_record(*, center: Center, **data) -> CostEntry:
    entry = CostEntry(center=center, **data)
    entry.month = entry.month.replace(day=1) if entry.month else entry.month
    entry.full_clean()
    entry.save()
    return entry


IMPORT_COLUMNS = ["month", "type", "amount", "currency", "funding_source"]


def _delimiter(text: str) -> str:
    """KoboToolbox writes CSV with semicolons, spreadsheets with commas: whichever the header uses most."""
    header = text.partition("\n")[0]
    return max(",;\t", key=header.count)


def _rows_from_upload(upload) -> list[list[str]]:
    """By the name the browser sent, then by content: a CSV is text (an XLSX that is no ZIP fails to open)."""
    name = upload.name.lower()
    head = upload.read(2048)
    upload.seek(0)
    if name.endswith(".csv") and b"\x00" in head:
        raise ValidationError(_("This is neither a CSV nor an XLSX file."))
    if name.endswith(".csv"):
        text = upload.read().decode("utf-8-sig")
        rows = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
        return [row for row in rows if any(cell.strip() for cell in row)]
    if name.endswith(".xlsx"):
        book = load_workbook(upload, read_only=True, data_only=True)
        return [
            ["" if v is None else v.date().isoformat() if isinstance(v, dt.datetime) else str(v) for v in row]
            for row in book.active.iter_rows(values_only=True)
            if any(v not in (None, "") for v in row)
        ]
    raise ValidationError(_("Upload a .csv or .xlsx file."))


def read_table(upload) -> list[list[str]]:
    """The rows of an uploaded CSV or XLSX (first sheet) as text, read in memory and never stored.

    Dates in an XLSX come back as ISO dates. Refused with a form error, never a 500: too large, not CSV
    or XLSX, or a file the readers cannot split."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    try:
        return _rows_from_upload(upload)
    except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        raise ValidationError(_("The file could not be read as CSV or XLSX.")) from exc


def costs_import(*, center: Center, upload) -> int:
    """Import a month's costs: every row checked first; one wrong row and nothing is saved."""
    rows = read_table(upload)
    if not rows or [c.strip().lower() for c in rows[0][: len(IMPORT_COLUMNS)]] != IMPORT_COLUMNS:
        raise ValidationError(
            _("The first row must be: %(columns)s.") % {"columns": ", ".join(IMPORT_COLUMNS)}
        )
    sources = {s.name.lower(): s for s in FundingSource.objects.all()}
    entries, errors = [], []
    for number, row in enumerate(rows[1:], start=2):
        row = [*row, "", "", "", "", ""][:5]
        month_text, cost_type, amount_text, currency, source_name = (c.strip() for c in row)
        try:
            month = dt.datetime.strptime(month_text[:7], "%Y-%m").date()
            amount = Decimal(amount_text.replace(",", "."))
            source = sources[source_name.lower()]
            entry = CostEntry(
                center=center,
                month=month,
                type=cost_type.lower(),
                amount=amount,
                currency=currency.upper(),
                funding_source=source,
            )
            entry.full_clean()
        except ValueError:
            errors.append(_("Row %(row)d: the month must look like 2026-10.") % {"row": number})
        except InvalidOperation:
            errors.append(
                _("Row %(row)d: “%(amount)s” is not an amount.") % {"row": number, "amount": amount_text}
            )
        except KeyError:
            errors.append(
                _("Row %(row)d: unknown funding source “%(source)s”.")
                % {"row": number, "source": source_name}
            )
        except ValidationError as exc:
            errors.append(_("Row %(row)d: %(errors)s") % {"row": number, "errors": " ".join(exc.messages)})
        else:
            entries.append(entry)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        CostEntry.objects.bulk_create(entries)
    return len(entries)
