"""Reach, as DESIGN.md defines it, counted in the database.

A *contact* is an Attendance marked present, a ServiceDelivery or a FollowUp,
each with a date, a centre and a category. A person is *reached* in a period,
at a centre (or nationally), in a category, when they have at least one
contact there in it. Counts are distinct people per cell: category rows do not
add up to the total, and a person served by two centres counts once
nationally. People merged into another record count as that record.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Q, Value
from django.db.models.functions import TruncMonth

from beneficiaries.models import Beneficiary
from cases.models import FollowUp
from core.counting import AGE_BANDS, ALL, GROUPS, SEXES  # noqa: F401 - the vocabulary of reach
from services.models import Attendance, ServiceCategory, ServiceDelivery


@dataclass
class Reach:
    start: dt.date
    end: dt.date
    center_ids: list[int] | None
    # (center_id or ALL, category code or ALL, sex, age band, group) -> people
    cells: dict[tuple, int] = field(default_factory=dict)
    # (center_id or ALL, category code or ALL) -> people, whatever their sex, age and group
    totals: dict[tuple, int] = field(default_factory=dict)
    new_registrations: dict = field(default_factory=dict)  # center_id or ALL -> people registered
    contacts: dict = field(default_factory=dict)  # (center_id or ALL, category or ALL) -> contacts


def _contacts_sql(start: dt.date, end: dt.date, center_ids, with_date: bool = False):
    """The union of every contact in the period as (person, centre, category) — SQL and params."""
    attendance = (
        Attendance.objects.filter(present=True, session__date__range=(start, end))
        .order_by()
        .values(
            contact_person=F("beneficiary_id"),
            contact_center=F("session__activity__center_id"),
            contact_category=F("session__activity__category__code"),
        )
    )
    delivery = (
        ServiceDelivery.objects.filter(date__range=(start, end))
        .order_by()
        .values(
            contact_person=F("beneficiary_id"),
            contact_center=F("center_id"),
            contact_category=F("category__code"),
        )
    )
    follow_up = (
        FollowUp.objects.filter(date__range=(start, end))
        .order_by()
        .values(
            contact_person=F("case__beneficiary_id"),
            contact_center=F("center_id"),
            contact_category=Value(ServiceCategory.Code.FOLLOW_UP.value),
        )
    )
    if with_date:
        attendance = attendance.annotate(contact_date=F("session__date"))
        delivery = delivery.annotate(contact_date=F("date"))
        follow_up = follow_up.annotate(contact_date=F("date"))
    if center_ids is not None:
        attendance = attendance.filter(session__activity__center_id__in=center_ids)
        delivery = delivery.filter(center_id__in=center_ids)
        follow_up = follow_up.filter(center_id__in=center_ids)
    # UNION ALL keeps every contact (they are counted too); people are made distinct below.
    return attendance.union(delivery, follow_up, all=True).query.sql_with_params()


def _age_sql(end: dt.date) -> tuple[str, list]:
    """Age on the last day of the period, from the date of birth or the (estimated) year."""
    if connection.vendor == "postgresql":
        month_day = "(EXTRACT(MONTH FROM b.date_of_birth) * 100 + EXTRACT(DAY FROM b.date_of_birth))"
    else:
        month_day = "(CAST(strftime('%%m', b.date_of_birth) AS INTEGER) * 100 + CAST(strftime('%%d', b.date_of_birth) AS INTEGER))"
    sql = (
        f"(%s - b.birth_year - CASE WHEN b.date_of_birth IS NOT NULL AND {month_day} > %s THEN 1 ELSE 0 END)"
    )
    return sql, [end.year, end.month * 100 + end.day]


def _band_sql(age_sql: str) -> str:
    whens = " ".join(f"WHEN {age_sql} <= {high} THEN '{label}'" for label, _low, high in AGE_BANDS[:-1])
    return f"CASE {whens} ELSE '{AGE_BANDS[-1][0]}' END"


# The levels of the table over the people CTE: (centre expression, category expression, the columns
# grouped by) for centre × category, centre, category (national), national.
LEVELS = [
    ("center", "category", ["center", "category"]),
    ("center", f"'{ALL}'", ["center"]),
    ("NULL", "category", ["category"]),
    ("NULL", f"'{ALL}'", []),
]


def reach(*, start: dt.date, end: dt.date, center_ids: list[int] | None = None) -> Reach:
    """Every cell, total and contact count of the period in one statement.

    The contacts are read once into ``people`` (one row per centre, category and person, with the person's
    sex, age band and group and their number of contacts); each level of the table is then a small
    aggregate over it: all levels in one GROUPING SETS on PostgreSQL, a UNION of levels on SQLite (the
    brute-force tests run both). ``make bench`` compares it with a hand-written query.
    """
    result = Reach(start=start, end=end, center_ids=center_ids)
    if center_ids is not None and not center_ids:
        return result
    contacts_sql, contacts_params = _contacts_sql(start, end, center_ids)
    age_sql, age_params = _age_sql(end)
    band = _band_sql(age_sql)
    band_params = age_params * (len(AGE_BANDS) - 1)
    # The person's attributes come from the surviving record of a merge.
    # Fixed SQL fragments only; every value is a query parameter.
    people = f"""
            WITH contacts AS ({contacts_sql}),
            people AS (
                SELECT c.contact_center AS center, c.contact_category AS category, b.id AS person, b.sex AS sex,
                       {band} AS band,
                       CASE WHEN b.population_group = 'host_community' THEN 'host' ELSE 'migrant' END AS grp,
                       COUNT(*) AS contacts
                FROM contacts c JOIN beneficiaries_beneficiary raw ON raw.id = c.contact_person
                JOIN beneficiaries_beneficiary b ON b.id = COALESCE(raw.merged_into_id, raw.id)
                GROUP BY c.contact_center, c.contact_category, b.id, b.sex, {band}, grp
            )
    """
    aggregate = _grouping_sets_sql() if connection.vendor == "postgresql" else _union_of_levels_sql()
    with connection.cursor() as cursor:
        cursor.execute(people + aggregate, [*contacts_params, *band_params, *band_params])
        for kind, center, category, sex, age_band, group, n, contacts in cursor.fetchall():
            key = (center if center is not None else ALL, category)
            if kind == "cell":
                result.cells[(*key, sex, age_band, group)] = n
            elif n:
                result.totals[key] = n
                result.contacts[key] = int(contacts)
    # New registrations count where people registered, whichever centre serves them since.
    registered = Beneficiary.objects.filter(registered_at__date__range=(start, end), merged_into__isnull=True)
    if center_ids is not None:
        registered = registered.filter(registered_center_id__in=center_ids)
    for row in registered.values("registered_center_id").order_by().annotate(n=Count("id")):
        result.new_registrations[row["registered_center_id"]] = row["n"]
    result.new_registrations[ALL] = sum(result.new_registrations.values())
    return result


def _grouping_sets_sql() -> str:
    """PostgreSQL: every level in one pass over ``people`` (GROUPING SETS)."""
    sets = [[*columns, *cell] for _c, _k, columns in LEVELS for cell in (["sex", "band", "grp"], [])]
    return f"""
        SELECT CASE WHEN GROUPING(sex) = 1 THEN 'total' ELSE 'cell' END, center,
               CASE WHEN GROUPING(category) = 1 THEN '{ALL}' ELSE category END,
               sex, band, grp, COUNT(DISTINCT person), SUM(contacts)
        FROM people GROUP BY GROUPING SETS ({", ".join("(" + ", ".join(s) + ")" for s in sets)})
    """


def _union_of_levels_sql() -> str:
    """SQLite has no GROUPING SETS: one small aggregate per level over ``people``, in one statement."""
    selects = []
    for center_expr, category_expr, columns in LEVELS:
        selects.append(
            f"SELECT 'cell', {center_expr}, {category_expr}, sex, band, grp, COUNT(DISTINCT person), 0 "
            f"FROM people GROUP BY {', '.join([*columns, 'sex', 'band', 'grp'])}"
        )
        selects.append(
            f"SELECT 'total', {center_expr}, {category_expr}, NULL, NULL, NULL, COUNT(DISTINCT person), "
            f"SUM(contacts) FROM people{' GROUP BY ' + ', '.join(columns) if columns else ''}"
        )
    return " UNION ALL ".join(selects)


def reach_by_month(*, start: dt.date, end: dt.date, center_ids: list[int] | None = None) -> dict:
    """{(first day of month, center_id or ALL, category or ALL): people reached that month}, in one statement:
    per centre and category, per centre, per category (national) and national."""
    if center_ids is not None and not center_ids:
        return {}
    contacts_sql, contacts_params = _contacts_sql(start, end, center_ids, with_date=True)
    if connection.vendor == "postgresql":
        month = "CAST(date_trunc('month', c.contact_date) AS date)"
    else:
        month = "date(c.contact_date, 'start of month')"
    # Fixed SQL fragments only; every value is a query parameter.
    people = f"""
            WITH contacts AS ({contacts_sql}),
            people AS (
                SELECT DISTINCT {month} AS month, c.contact_center AS center, c.contact_category AS category,
                       COALESCE(raw.merged_into_id, raw.id) AS person
                FROM contacts c JOIN beneficiaries_beneficiary raw ON raw.id = c.contact_person
            )
    """
    if connection.vendor == "postgresql":
        sets = ", ".join("(" + ", ".join(["month", *columns]) + ")" for _c, _k, columns in LEVELS)
        aggregate = (
            f"SELECT month, center, CASE WHEN GROUPING(category) = 1 THEN '{ALL}' ELSE category END, "
            f"COUNT(DISTINCT person) FROM people GROUP BY GROUPING SETS ({sets})"
        )
    else:
        aggregate = " UNION ALL ".join(
            f"SELECT month, {center_expr}, {category_expr}, COUNT(DISTINCT person) FROM people "
            f"GROUP BY {', '.join(['month', *columns])}"
            for center_expr, category_expr, columns in LEVELS
        )
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(people + aggregate, contacts_params)
        for month_value, center, category, n in cursor.fetchall():
            if isinstance(month_value, str):
                month_value = dt.date.fromisoformat(month_value)
            result[(month_value, center if center is not None else ALL, category)] = n
    return result


def course_attendance(*, start: dt.date, end: dt.date, center_ids: list[int] | None = None) -> list[dict]:
    """Per course: marks taken in the period and the share of them marked present."""
    marks = Attendance.objects.filter(session__date__range=(start, end), session__activity__kind="course")
    if center_ids is not None:
        marks = marks.filter(session__activity__center_id__in=center_ids)
    rows = (
        marks.values("session__activity__center__code", "session__activity__name")
        .order_by("session__activity__center__code", "session__activity__name")
        .annotate(marked=Count("id"), present=Count("id", filter=Q(present=True)))
    )
    return [
        {
            "center": row["session__activity__center__code"],
            "course": row["session__activity__name"],
            "marked": row["marked"],
            "present": row["present"],
            "rate": round(100 * row["present"] / row["marked"]) if row["marked"] else None,
        }
        for row in rows
    ]


def activity_by_month(*, start: dt.date, end: dt.date, center_ids: list[int]) -> dict:
    """{(first day of month, center_id): {"registrations", "course_marks", "course_present"}}: people registered
    at the centre (survivors of merges), and attendance marks of its courses. Two aggregate statements."""
    result: dict = {}

    def add(month, center_id, **figures):
        month = month.date() if isinstance(month, dt.datetime) else month
        row = result.setdefault(
            (month, center_id), {"registrations": 0, "course_marks": 0, "course_present": 0}
        )
        row.update(figures)

    registered = (
        Beneficiary.objects.filter(
            registered_at__date__range=(start, end),
            merged_into__isnull=True,
            registered_center_id__in=center_ids,
        )
        .annotate(month=TruncMonth("registered_at"))
        .values("month", "registered_center_id")
        .order_by()
        .annotate(n=Count("id"))
    )
    for row in registered:
        add(row["month"], row["registered_center_id"], registrations=row["n"])
    marks = (
        Attendance.objects.filter(
            session__date__range=(start, end),
            session__activity__kind="course",
            session__activity__center_id__in=center_ids,
        )
        .annotate(month=TruncMonth("session__date"))
        .values("month", "session__activity__center_id")
        .order_by()
        .annotate(marked=Count("id"), present=Count("id", filter=Q(present=True)))
    )
    for row in marks:
        add(
            row["month"],
            row["session__activity__center_id"],
            course_marks=row["marked"],
            course_present=row["present"],
        )
    return result
