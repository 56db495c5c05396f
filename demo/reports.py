"""Demo money: funding sources, twelve months of exchange rates and costs per centre.

Costs are set from each month's actual reach so the demo's cost per person
lands in the case study's USD 40–80.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from centers.models import Center
from core.counting import ALL
from finance.models import CostEntry, ExchangeRate, FundingSource
from reports.reach import reach

SPLIT = [("staff", 0.68), ("rent", 0.12), ("utilities", 0.05), ("materials", 0.09), ("transport", 0.06)]


def _months(today: dt.date, count: int) -> list[dt.date]:
    months, month = [], today.replace(day=1)
    for _ in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return sorted(months)


@transaction.atomic
def seed(*, rng: random.Random) -> int:
    if CostEntry.objects.exists():
        return 0
    today = timezone.localdate()
    months = _months(today, 12)
    appeal, _ = FundingSource.objects.get_or_create(
        name="Emergency appeal: community centres",
        defaults={
            "donor": "IFRC",
            "currency": "USD",
            "amount": Decimal(3_200_000),
            "starts_on": months[0],
            "ends_on": months[0].replace(year=months[0].year + 2),
        },
    )
    echo, _ = FundingSource.objects.get_or_create(
        name="Humanitarian grant: integration",
        defaults={
            "donor": "ECHO",
            "currency": "EUR",
            "amount": Decimal(900_000),
            "starts_on": months[0],
            "ends_on": months[-1],
        },
    )
    try_rate = Decimal("34.0")
    for month in months:
        try_rate += Decimal(str(round(rng.uniform(0.3, 1.0), 2)))
        ExchangeRate.objects.update_or_create(month=month, currency="TRY", defaults={"per_usd": try_rate})
        ExchangeRate.objects.update_or_create(
            month=month, currency="EUR", defaults={"per_usd": Decimal(str(round(rng.uniform(0.88, 0.95), 4)))}
        )
    entries = []
    centers = list(Center.objects.filter(status=Center.Status.OPEN))
    for month in months:
        end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        reached = reach(start=month, end=end, center_ids=[c.pk for c in centers]).totals
        rate = ExchangeRate.objects.get(month=month, currency="TRY").per_usd
        for center in centers:
            people = reached.get((center.pk, ALL), 0)
            if not people:
                continue
            usd = Decimal(people * rng.uniform(48, 70))
            for cost_type, share in SPLIT:
                source = echo if cost_type == "materials" else appeal
                currency = "EUR" if source == echo else "TRY"
                per_usd = (
                    ExchangeRate.objects.get(month=month, currency="EUR").per_usd
                    if currency == "EUR"
                    else rate
                )
                entries.append(
                    CostEntry(
                        center=center,
                        month=month,
                        type=cost_type,
                        currency=currency,
                        funding_source=source,
                        amount=(usd * Decimal(share) * per_usd).quantize(Decimal("0.01")),
                    )
                )
    CostEntry.objects.bulk_create(entries)
    return len(entries)
