"""Costs in US dollars, cost per beneficiary and funding runway (DESIGN.md), aggregated in the database."""

import datetime as dt
from decimal import Decimal

from django.db.models import Case, DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum, Value, When

from core.counting import ALL
from finance.models import CostEntry, Currency, ExchangeRate, FundingSource

USD_RANGE = (40, 80)  # the case study's cost per beneficiary, for comparison


def _usd(queryset):
    """Each cost converted at its own month's rate; a cost without a rate stays NULL and is reported."""
    rate = ExchangeRate.objects.filter(month=OuterRef("month"), currency=OuterRef("currency")).values(
        "per_usd"
    )[:1]
    return queryset.annotate(
        rate=Subquery(rate),
        usd=Case(
            When(currency=Currency.USD, then=F("amount")),
            default=ExpressionWrapper(
                F("amount") / F("rate"), output_field=DecimalField(max_digits=20, decimal_places=6)
            ),
            output_field=DecimalField(max_digits=20, decimal_places=6),
        ),
    )


def costs_usd(*, start: dt.date, end: dt.date, center_ids=None) -> tuple[dict, list[str]]:
    """{center_id or ALL: USD} for the months of the period, and the months missing a rate."""
    entries = CostEntry.objects.filter(month__gte=start.replace(day=1), month__lte=end)
    if center_ids is not None:
        entries = entries.filter(center_id__in=center_ids)
    entries = _usd(entries)
    totals = {
        row["center_id"]: row["total"] or Decimal(0)
        for row in entries.values("center_id").order_by().annotate(total=Sum("usd"))
    }
    totals[ALL] = sum(totals.values(), Decimal(0))
    missing = sorted(
        {
            f"{row['month']:%Y-%m} {row['currency']}"
            for row in entries.filter(usd__isnull=True).values("month", "currency")
        }
    )
    return totals, missing


def cost_per_beneficiary(costs: dict, reached: dict) -> dict:
    """{center_id or ALL: USD per person reached}; None where no one was reached."""
    return {
        key: (costs.get(key, Decimal(0)) / reached[(key, ALL)]).quantize(Decimal("0.01"))
        if reached.get((key, ALL))
        else None
        for key in costs
    }


def runway(*, today: dt.date) -> list[dict]:
    """Months each funding source lasts: (amount − spent to date) / average monthly spend of the last three months."""
    this_month = today.replace(day=1)
    three_months_ago = (this_month - dt.timedelta(days=85)).replace(day=1)
    latest_rate = (
        ExchangeRate.objects.filter(currency=OuterRef("currency")).order_by("-month").values("per_usd")[:1]
    )
    sources = FundingSource.objects.annotate(
        rate=Case(When(currency=Currency.USD, then=Value(Decimal(1))), default=Subquery(latest_rate))
    )
    spent = {
        row["funding_source_id"]: row["usd"] or Decimal(0)
        for row in _usd(CostEntry.objects.filter(month__lt=this_month))
        .values("funding_source_id")
        .order_by()
        .annotate(usd=Sum("usd"))
    }
    recent = {
        row["funding_source_id"]: row["usd"] or Decimal(0)
        for row in _usd(CostEntry.objects.filter(month__gte=three_months_ago, month__lt=this_month))
        .values("funding_source_id")
        .order_by()
        .annotate(usd=Sum("usd"))
    }
    result = []
    for source in sources:
        amount_usd = source.amount / source.rate if source.rate else None
        left = amount_usd - spent.get(source.pk, Decimal(0)) if amount_usd is not None else None
        monthly = recent.get(source.pk, Decimal(0)) / 3
        result.append(
            {
                "source": source,
                "amount_usd": amount_usd,
                "spent_usd": spent.get(source.pk, Decimal(0)),
                "left_usd": left,
                "monthly_usd": monthly,
                "months": (left / monthly).quantize(Decimal("0.1")) if left is not None and monthly else None,
            }
        )
    return result
