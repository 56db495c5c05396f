"""What opening planned centres does, month by month: pure functions over plain inputs, so a test can compute
a small case by hand. planning/selectors.py reads the inputs from the database.

The model, in words (the scenario page says the same):

- **People reached in a month** at an opened centre = Σ over its planned activities of:
  - a *cohort* (a course or a group activity: the same people come to every session): capacity × the
    attendance rate of the activity's category (share of register marks that are "present") observed in the
    comparable centres;
  - a *one-to-one* service (a desk, counselling: other people in every session): its places in a month
    (capacity × sessions a week × 52 / 12 weeks) × the attendance rate × the *people per contact* observed in
    the comparable centres' one-to-one services of the category (distinct people in a month / one-to-one
    contacts that month: 1 when nobody came twice in a month, 0.5 when everyone came twice).
  The same people come back: of a month's people, the *repeat rate* (share of people present in a category
  one month who were present in it the month before; for one-to-one services, of those served one-to-one)
  were already counted, so a month after the first adds people × (1 − repeat rate) new people.
- **Cost per person** = the openings' costs since they opened (monthly costs and set-up costs, in USD) /
  the distinct people they reached since they opened — the way DESIGN.md counts a period, not a sum of
  months. It is compared with the case study's USD 40–80.
- **Runway** of a funding source: from what is left today (reports.costs.runway: amount − spent to date),
  month by month, the source pays its last three months' average spend, and with the openings also the
  planned costs it is to pay (set-up costs in the opening month). It runs out in the month its money does.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

CENT = Decimal("0.01")
HORIZON = 24  # months shown
LONGEST = 600  # months simulated at most to find when a source runs out
COHORT = "group"  # services.Activity.Kind: a course or a group keeps its people from session to session
ONE_TO_ONE = "one_to_one"  # ... a one-to-one service sees other people in every session


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_from(start: dt.date, n: int = HORIZON) -> list[dt.date]:
    first = start.replace(day=1)
    return [add_months(first, i) for i in range(n)]


@dataclass(frozen=True)
class Rates:
    """Observed in comparable centres: by category code, the attendance and repeat rates (0–1) of the registers,
    and the people per contact and repeat rate of one-to-one services."""

    attendance: dict
    repeat: dict
    centers: tuple = ()  # codes of the centres the rates come from
    per_contact: dict = field(default_factory=dict)
    repeat_one: dict = field(default_factory=dict)
    default_attendance: Decimal = Decimal("0.75")
    default_repeat: Decimal = Decimal("0.6")
    default_per_contact: Decimal = Decimal("0.8")
    default_repeat_one: Decimal = Decimal("0.3")

    def attendance_of(self, category: str) -> Decimal:
        return self.attendance.get(category, self.default_attendance)

    def repeat_of(self, category: str) -> Decimal:
        return self.repeat.get(category, self.default_repeat)

    def per_contact_of(self, category: str) -> Decimal:
        return self.per_contact.get(category, self.default_per_contact)

    def repeat_one_of(self, category: str) -> Decimal:
        return self.repeat_one.get(category, self.default_repeat_one)


@dataclass(frozen=True)
class Money:
    source_id: int
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class PlanInput:
    center_id: int
    code: str
    activities: tuple = ()  # (category code, capacity[, kind, sessions a week]); a cohort when no kind
    monthly: tuple = ()  # Money, every month from the opening month
    one_off: tuple = ()  # Money, in the opening month


@dataclass(frozen=True)
class Baseline:
    """A funding source today: what is left and its recent monthly spend, both in USD (reports.costs.runway)."""

    source_id: int
    name: str
    left_usd: Decimal | None
    monthly_usd: Decimal


@dataclass
class SourceRunway:
    source_id: int
    name: str
    left_usd: Decimal | None
    monthly_usd: Decimal
    months_without: Decimal | None = None  # None: it spends nothing, or its amount has no exchange rate
    months_with: Decimal | None = None
    runs_out_without: dt.date | None = None
    runs_out_with: dt.date | None = None
    balance_without: list = field(default_factory=list)  # USD at each month's end, HORIZON months
    balance_with: list = field(default_factory=list)
    planned_usd: list = field(default_factory=list)  # the openings' spend from this source each month

    @property
    def months_lost(self) -> Decimal | None:
        if self.months_without is None or self.months_with is None:
            return None
        return self.months_without - self.months_with


@dataclass
class MonthRow:
    month: dt.date
    reach: dict  # center code -> people reached that month (Decimal)
    people: Decimal  # all openings, that month
    new_people: Decimal
    distinct_people: Decimal  # since the first opening
    cost_usd: Decimal  # the openings' costs that month
    total_cost_usd: Decimal  # since the first opening
    cost_per_person: Decimal | None


@dataclass
class Projection:
    months: list
    rows: list
    sources: list
    missing_rates: list = field(
        default_factory=list
    )  # currencies with no exchange rate: their costs are left out


def to_usd(money: Money, fx: dict) -> Decimal | None:
    """``fx``: units of the currency one USD buys (average of the last three months)."""
    if money.currency == "USD":
        return money.amount
    rate = fx.get(money.currency)
    return money.amount / rate if rate else None


def monthly_people(plan: PlanInput, rates: Rates) -> tuple[Decimal, Decimal]:
    """(people reached in a month, of whom new in a month after the first)."""
    people = Decimal(0)
    new = Decimal(0)
    for category, capacity, kind, weekly in ((*a, COHORT, 1)[:4] for a in plan.activities):
        present = Decimal(capacity) * rates.attendance_of(category)
        if kind == ONE_TO_ONE:
            # weeks a month = 52 / 12: divided last, so that round figures stay exact
            present = present * weekly * 52 * rates.per_contact_of(category) / 12
            repeat = rates.repeat_one_of(category)
        else:
            repeat = rates.repeat_of(category)
        people += present
        new += present * (1 - repeat)
    return people, new


def spend_by_source(plan: PlanInput, opening: dt.date, month: dt.date, fx: dict) -> dict:
    """{source id: USD the plan spends in ``month``}; nothing before the opening month."""
    if month < opening:
        return {}
    spend: dict = {}
    lines = list(plan.monthly) + (list(plan.one_off) if month == opening else [])
    for money in lines:
        usd = to_usd(money, fx)
        if usd is not None:
            spend[money.source_id] = spend.get(money.source_id, Decimal(0)) + usd
    return spend


def runs_out(left: Decimal | None, spends) -> Decimal | None:
    """Months (to a tenth) until ``left`` is spent by the monthly ``spends`` (an iterable, LONGEST at most)."""
    if left is None:
        return None
    if left <= 0:
        return Decimal(0)
    balance = left
    for i, spend in enumerate(spends):
        if spend >= balance and spend > 0:
            return (Decimal(i) + balance / spend).quantize(Decimal("0.1"))
        balance -= spend
    return None


def _spends(baseline: Baseline, openings, fx: dict, start: dt.date, with_openings: bool):
    for i in range(LONGEST):
        month = add_months(start, i)
        spend = baseline.monthly_usd
        if with_openings:
            for plan, opening in openings:
                spend += spend_by_source(plan, opening, month, fx).get(baseline.source_id, Decimal(0))
        yield spend


def _runway(baseline: Baseline, openings, fx: dict, months: list) -> SourceRunway:
    start = months[0]
    result = SourceRunway(baseline.source_id, baseline.name, baseline.left_usd, baseline.monthly_usd)
    result.months_without = runs_out(baseline.left_usd, _spends(baseline, openings, fx, start, False))
    result.months_with = runs_out(baseline.left_usd, _spends(baseline, openings, fx, start, True))
    for attr, months_left in (
        ("runs_out_without", result.months_without),
        ("runs_out_with", result.months_with),
    ):
        if months_left is not None:
            setattr(result, attr, add_months(start, int(months_left)))
    without = with_ = baseline.left_usd
    for month in months:
        planned = sum(
            (
                spend_by_source(plan, opening, month, fx).get(baseline.source_id, Decimal(0))
                for plan, opening in openings
            ),
            Decimal(0),
        )
        result.planned_usd.append(planned)
        if baseline.left_usd is not None:
            without -= baseline.monthly_usd
            with_ -= baseline.monthly_usd + planned
        result.balance_without.append(without)
        result.balance_with.append(with_)
    return result


def project(*, start: dt.date, openings: list, rates: Rates, fx: dict, baselines: list) -> Projection:
    """``openings``: [(PlanInput, opening month)]. Month by month for HORIZON months from ``start``."""
    months = months_from(start)
    rows = []
    distinct = Decimal(0)
    total_cost = Decimal(0)
    for month in months:
        reach, people, new = {}, Decimal(0), Decimal(0)
        cost = Decimal(0)
        for plan, opening in openings:
            if month < opening:
                continue
            in_month, returning_new = monthly_people(plan, rates)
            reach[plan.code] = in_month
            people += in_month
            new += in_month if month == opening else returning_new
            cost += sum(spend_by_source(plan, opening, month, fx).values(), Decimal(0))
        distinct += new
        total_cost += cost
        rows.append(
            MonthRow(
                month=month,
                reach=reach,
                people=people,
                new_people=new,
                distinct_people=distinct,
                cost_usd=cost,
                total_cost_usd=total_cost,
                cost_per_person=(total_cost / distinct).quantize(CENT) if distinct else None,
            )
        )
    currencies = {m.currency for plan, _o in openings for m in (*plan.monthly, *plan.one_off)}
    missing = sorted(c for c in currencies if c != "USD" and not fx.get(c))
    sources = [_runway(b, openings, fx, months) for b in baselines]
    return Projection(months=months, rows=rows, sources=sources, missing_rates=missing)
