"""Reads for listening: what people say they need, how it compares with what the centre offers, and the
feedback they give. Aggregates run in the database; pages only lay them out.

The "reached" column of needs versus offer is counted by reports, which sits below listening in DESIGN.md's
table: reports lends its counter at start-up (:func:`count_reach_with`) instead of listening importing it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from beneficiaries.models import PopulationGroup
from centers.models import Center
from core.counting import ALL, GROUPS, small_cell
from services.models import Attendance, Need, ServiceCategory
from services.selectors import activity_list

from .models import (
    FEEDBACK_ANSWER_DAYS,
    MAX_RANKED_NEEDS,
    Feedback,
    InterviewNeed,
    NeedsInterview,
    OutreachVisit,
)

HOST = PopulationGroup.HOST_COMMUNITY
# A need is *frequent* when at least this share of the people asked named it, and at least FREQUENT_MIN did.
FREQUENT_SHARE = 0.2
FREQUENT_MIN = 3
# A course is *full with a long waiting list* when every place is taken and this many people wait.
LONG_WAITLIST = 5
# The category whose activities usually answer each need: shown beside needs no activity is tied to yet.
NEED_CATEGORY = {
    Need.LANGUAGE: "B",
    Need.VOCATIONAL: "B",
    Need.EMPLOYMENT: "E",
    Need.CHILDREN_EDUCATION: "A",
    Need.HEALTH: "E",
    Need.PSYCHOSOCIAL: "D",
    Need.LEGAL: "E",
    Need.SHELTER: "E",
    Need.FOOD_CASH: "E",
    Need.SOCIAL_COHESION: "F",
}


_reach: Callable | None = None


def count_reach_with(counter: Callable) -> None:
    """Called by ReportsConfig.ready() with reports.reach.reach."""
    global _reach
    _reach = counter


_planned_offer: Callable | None = None


def plan_offer_with(provider: Callable) -> None:
    """Called by PlanningConfig.ready() with planning.selectors.planned_offer: a planned centre's offer is its
    plan (planned activities with their capacity), since nothing runs there yet."""
    global _planned_offer
    _planned_offer = provider


def reach(**kwargs):
    if _reach is None:
        raise RuntimeError("Reach is counted by the reports app: add it to INSTALLED_APPS.")
    return _reach(**kwargs)


def visit_interviews(*, visit: OutreachVisit) -> list[NeedsInterview]:
    return list(visit.interviews.select_related("beneficiary").prefetch_related("needs").order_by("pk"))


def recent_quotes(*, center: Center, start: dt.date, end: dt.date, limit: int = 12) -> list[NeedsInterview]:
    """The latest words of people asked in the period, with the need each named first. Two queries."""
    return list(
        NeedsInterview.objects.in_center(center)
        .filter(visit__date__range=(start, end))
        .exclude(quote="")
        .select_related("visit")
        .prefetch_related("needs")
        .order_by("-visit__date", "-pk")[:limit]
    )


# ---------------------------------------------------------------- needs versus offer


@dataclass
class NeedRow:
    need: str
    label: str
    mentions: int = 0
    first: int = 0  # named as the most important
    score: int = 0  # 3 points for first, 2 for second, 1 for third
    host: int = 0  # mentions by host-community respondents
    rank: int | None = None
    share: int = 0  # % of people asked
    activities: list = field(default_factory=list)
    places: int = 0
    taken: int = 0
    waiting: int = 0
    used_by: int = 0  # distinct people present at its activities in the period
    category: str | None = None
    category_reached: int = 0
    frequent: bool = False

    @property
    def migrant(self) -> int:
        return self.mentions - self.host


@dataclass
class NeedsOffer:
    center: Center
    start: dt.date
    end: dt.date
    interviews: int = 0
    host_interviews: int = 0
    visits: int = 0
    households: int = 0
    needs: list = field(default_factory=list)  # NeedRow, most pressing first, then the needs nobody named
    categories: list = field(default_factory=list)  # one dict per service category
    full_courses: list = field(default_factory=list)
    gaps: list = field(default_factory=list)  # sentences
    feedback: dict = field(default_factory=dict)  # kind -> received in the period
    planned: bool = False  # a planned centre: the offer is its plan


def needs_ranking(*, center: Center, start: dt.date, end: dt.date) -> tuple[int, int, list[NeedRow]]:
    """(people asked, of whom host community, needs ordered by score then mentions), two queries.

    Score: a need ranked first earns 3 points, second 2, third 1 (a Borda count); ties are broken by the
    number of people who named it, then by how many named it first.
    """
    interviews = NeedsInterview.objects.in_center(center).filter(visit__date__range=(start, end))
    asked = interviews.aggregate(n=Count("id"), host=Count("id", filter=Q(population_group=HOST)))
    rows = {
        r["need"]: r
        for r in InterviewNeed.objects.filter(interview__in=interviews)
        .values("need")
        .order_by()
        .annotate(
            mentions=Count("id"),
            first=Count("id", filter=Q(rank=1)),
            score=Sum(MAX_RANKED_NEEDS + 1 - F("rank")),
            host=Count("id", filter=Q(interview__population_group=HOST)),
        )
    }
    result = []
    for need in Need:
        r = rows.get(need.value, {})
        result.append(
            NeedRow(
                need=need.value,
                label=str(need.label),
                mentions=r.get("mentions", 0),
                first=r.get("first", 0),
                score=r.get("score", 0) or 0,
                host=r.get("host", 0),
                share=round(100 * r.get("mentions", 0) / asked["n"]) if asked["n"] else 0,
                category=NEED_CATEGORY.get(need),
            )
        )
    result.sort(key=lambda row: (-row.score, -row.mentions, -row.first))
    for rank, row in enumerate((r for r in result if r.mentions), start=1):
        row.rank = rank
        row.frequent = (
            row.need != Need.OTHER
            and row.mentions >= FREQUENT_MIN
            and row.mentions >= FREQUENT_SHARE * asked["n"]
        )
    return asked["n"], asked["host"], result


def _offer_row(category, activities: list, reached, center: Center, code: str) -> dict:
    """One row of the offer table: activities running, their places, and who was reached in ``code``."""
    return {
        "category": category,
        "activities": len(activities),
        "places": sum(a.capacity or 0 for a in activities),
        "taken": sum(a.places_taken for a in activities),
        "waiting": sum(a.waiting for a in activities),
        "reached": reached.totals.get((center.pk, code), 0),
        "host": sum(
            n
            for (c, cat, _sex, _band, group), n in reached.cells.items()
            if c == center.pk and cat == code and group == GROUPS[1]
        ),
        "integration": code == ServiceCategory.Code.FOLLOW_UP,
    }


def needs_offer(*, center: Center, start: dt.date, end: dt.date) -> NeedsOffer:
    """What people said they need beside what the centre offered and what people used, with the gaps."""
    result = NeedsOffer(center=center, start=start, end=end)
    result.interviews, result.host_interviews, result.needs = needs_ranking(
        center=center, start=start, end=end
    )
    visits = OutreachVisit.objects.in_center(center).filter(date__range=(start, end))
    counted = visits.aggregate(n=Count("id"), households=Coalesce(Sum("households_visited"), Value(0)))
    result.visits, result.households = counted["n"], counted["households"]

    if center.status == Center.Status.PLANNED and _planned_offer is not None:
        activities = _planned_offer(center=center)
        result.planned = True
    else:
        activities = list(
            activity_list(center=center)
            .filter(starts_on__lte=end, ends_on__gte=start)
            .order_by("category__code", "name")
        )
    used = {
        r["session__activity__need"]: r["people"]
        for r in Attendance.objects.filter(
            present=True,
            session__activity__center=center,
            session__date__range=(start, end),
            session__activity__need__gt="",
        )
        .values("session__activity__need")
        .order_by()
        .annotate(people=Count("beneficiary", distinct=True))
    }
    reached = reach(start=start, end=end, center_ids=[center.pk])
    by_need = {row.need: row for row in result.needs}
    for activity in activities:
        if activity.need and activity.need in by_need:
            row = by_need[activity.need]
            row.activities.append(activity)
            row.places += activity.capacity or 0
            row.taken += activity.places_taken
            row.waiting += activity.waiting
        activity.full = bool(activity.capacity) and activity.places_taken >= activity.capacity
        if activity.full and activity.waiting >= LONG_WAITLIST:
            result.full_courses.append(activity)
    for row in result.needs:
        row.used_by = used.get(row.need, 0)
        if row.category:
            row.category_reached = reached.totals.get((center.pk, row.category), 0)

    for category in ServiceCategory.objects.all():
        running = [a for a in activities if a.category_id == category.pk]
        result.categories.append(_offer_row(category, running, reached, center, category.code))
    result.categories.append(_offer_row(None, activities, reached, center, ALL))
    result.gaps = _gaps(result)
    result.feedback = feedback_received(center=center, start=start, end=end)
    return result


def _gaps(result: NeedsOffer) -> list[str]:
    gaps = []
    for row in result.needs:
        if not row.frequent:
            continue
        said = {"need": row.label, "n": row.mentions, "asked": result.interviews, "rank": row.rank}
        if not row.activities and result.planned:
            gaps.append(
                _(
                    "%(need)s: named by %(n)d of %(asked)d people asked (rank %(rank)d), and nothing in the plan "
                    "answers it."
                )
                % said
            )
        elif not row.activities:
            gaps.append(
                _(
                    "%(need)s: named by %(n)d of %(asked)d people asked (rank %(rank)d), and no activity answers it."
                )
                % said
            )
        elif row.places and row.taken >= row.places and row.waiting:
            gaps.append(
                _(
                    "%(need)s: named by %(n)d of %(asked)d people asked (rank %(rank)d); every place is taken "
                    "and %(waiting)d people wait."
                )
                % {**said, "waiting": row.waiting}
            )
    for activity in result.full_courses:
        gaps.append(
            _("%(activity)s is full (%(places)d places) and %(waiting)d people are on the waiting list.")
            % {"activity": activity.name, "places": activity.capacity, "waiting": activity.waiting}
        )
    return gaps


def _needs_table(result: NeedsOffer) -> list[list]:
    needs = [
        [
            _("Rank"),
            _("Need"),
            _("People who named it"),
            _("Share of people asked (%)"),
            _("Named first"),
            _("Score"),
            _("Migrants"),
            _("Host community"),
            _("Activities"),
            _("Places"),
            _("Places taken"),
            _("Waiting list"),
            _("People who used them"),
        ]
    ]
    for row in result.needs:
        needs.append(
            [
                row.rank or "",
                row.label,
                row.mentions,
                row.share,
                row.first,
                row.score,
                small_cell(row.migrant),
                small_cell(row.host),
                len(row.activities),
                row.places,
                row.taken,
                row.waiting,
                row.used_by,
            ]
        )
    return needs


def _offer_table(result: NeedsOffer) -> list[list]:
    offer = [
        [
            _("Category"),
            _("Activities"),
            _("Places"),
            _("Places taken"),
            _("Waiting list"),
            _("People reached"),
            _("Host community"),
        ]
    ]
    for row in result.categories:
        offer.append(
            [
                str(row["category"]) if row["category"] else _("All categories"),
                row["activities"],
                row["places"],
                row["taken"],
                row["waiting"],
                row["reached"],
                small_cell(row["host"]),
            ]
        )
    return offer


def needs_offer_tables(result: NeedsOffer) -> dict[str, list[list]]:
    """The page as named tables, for the XLSX and CSV downloads. Quotes are left out: they are people's
    own words, read in Toplum, not sent around. Counts by group are small-cell suppressed (DESIGN.md)."""
    about = [
        [_("Centre"), str(result.center)],
        [_("Period"), f"{result.start} – {result.end}"],
        [_("Outreach visits"), result.visits],
        [_("Households visited"), result.households],
        [_("People asked"), result.interviews],
        [_("of whom host community"), result.host_interviews],
    ]
    feedback = [[_("Feedback"), _("Received")]] + [
        [str(Feedback.Kind(kind).label), n] for kind, n in result.feedback.items()
    ]
    return {
        _("Needs"): _needs_table(result),
        _("Offer by category"): _offer_table(result),
        _("Gaps"): [[_("Gaps")]] + [[gap] for gap in result.gaps],
        _("Feedback"): feedback,
        _("About"): about,
    }


def feedback_received(*, center: Center, start: dt.date, end: dt.date) -> dict[str, int]:
    counts = dict(
        Feedback.objects.in_center(center)
        .filter(received_on__range=(start, end))
        .values("kind")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return {kind: counts.get(kind, 0) for kind in Feedback.Kind.values}


def feedback_counts(*, start: dt.date, end: dt.date, center_ids: list[int]) -> list[dict]:
    """Per centre and kind: received in the period, closed in it, still open at its end and, of those,
    waiting more than FEEDBACK_ANSWER_DAYS days. One query; sensitive feedback is counted, never shown."""
    late = end - dt.timedelta(days=FEEDBACK_ANSWER_DAYS)
    open_at_end = Q(received_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    return list(
        Feedback.objects.filter(center_id__in=center_ids)
        .filter(Q(received_on__range=(start, end)) | Q(closed_on__range=(start, end)) | open_at_end)
        .values("center_id", "kind")
        .order_by("center_id", "kind")
        .annotate(
            received=Count("id", filter=Q(received_on__range=(start, end))),
            closed=Count("id", filter=Q(closed_on__range=(start, end))),
            open=Count("id", filter=open_at_end),
            late=Count("id", filter=open_at_end & Q(received_on__lt=late)),
        )
    )
