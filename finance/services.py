"""Writes for money: costs entered by hand or imported."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centers.models import Center
from core.spreadsheets import read_table
from finance.models import CostEntry, FundingSource


def cost_record(
    *,
    center: Center,
    month: dt.date,
    type: str,
    amount: Decimal,
    currency: str,
    funding_source,
    note: str = "",
) -> CostEntry:
    entry = CostEntry(
        center=center,
        month=month.replace(day=1) if month else month,
        type=type,
        amount=amount,
        currency=currency,
        funding_source=funding_source,
        note=note,
    )
    entry.full_clean()
    entry.save()
    return entry


IMPORT_COLUMNS = ["month", "type", "amount", "currency", "funding_source"]


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
