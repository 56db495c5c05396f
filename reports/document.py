"""The monthly report as a document a donor reads: its figures, stored once per build, and its tables in words.

``document_data`` gathers every figure of a build into plain JSON (codes, ids and numbers, no words), stored on
the run. ``document`` turns that data into titled tables in the active language; the PDF and XLSX renderers
(reports.render) only lay them out. So a file rendered later in another language carries the same figures as
the stored tables, and nothing is counted twice.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.counting import AGE_BANDS, ALL, GROUPS
from listening.models import FEEDBACK_ANSWER_DAYS, Feedback
from reports.costs import USD_RANGE
from services.models import ServiceCategory

VERSION = 1


def _key(value) -> str:
    return str(value)


def _money(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def document_data(
    *,
    national: bool,
    reach,
    costs,
    per_person,
    missing_rates,
    year_to_date,
    courses,
    feedback,
    runway,
    centers,
) -> dict:
    """Every figure of the report as JSON: ``centers`` is {id: (code, name)} of the centres reported on."""
    ytd_reach, ytd_costs, ytd_per_person = year_to_date
    return {
        "version": VERSION,
        "start": reach.start.isoformat(),
        "end": reach.end.isoformat(),
        "national": national,
        "centers": [
            [_key(pk), code, name] for pk, (code, name) in sorted(centers.items(), key=lambda kv: kv[1])
        ],
        "threshold": settings.REPORT_SMALL_CELL_THRESHOLD,
        "usd_range": list(USD_RANGE),
        "cells": [[_key(k[0]), *k[1:], n] for k, n in sorted(reach.cells.items(), key=str) if n],
        "totals": [
            [_key(c), cat, n, reach.contacts.get((c, cat), 0)]
            for (c, cat), n in sorted(reach.totals.items(), key=str)
        ],
        "new_registrations": [[_key(c), n] for c, n in sorted(reach.new_registrations.items(), key=str)],
        "costs": [[_key(c), _money(v)] for c, v in sorted(costs.items(), key=str)],
        "per_person": [[_key(c), _money(v)] for c, v in sorted(per_person.items(), key=str)],
        "ytd_reached": [[_key(c), n] for (c, cat), n in sorted(ytd_reach.items(), key=str) if cat == ALL],
        "ytd_costs": [[_key(c), _money(v)] for c, v in sorted(ytd_costs.items(), key=str)],
        "ytd_per_person": [[_key(c), _money(v)] for c, v in sorted(ytd_per_person.items(), key=str)],
        "courses": [[c["center"], c["course"], c["marked"], c["present"]] for c in courses],
        "feedback": [
            [_key(r["center_id"]), r["kind"], r["received"], r["closed"], r["open"], r["late"]]
            for r in feedback
        ],
        "runway": [
            [r["source"].name, _money(r["left_usd"]), _money(r["monthly_usd"]), _money(r["months"])]
            for r in runway
        ],
        "missing_rates": list(missing_rates),
    }


# ---- Formatting in the active language -------------------------------------------------------------------


def number(value, decimals: int = 0) -> str:
    if value is None:
        return "—"
    if isinstance(value, str) and value.startswith("<"):
        return value
    # Django's number_format cuts decimals off; a report rounds them.
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)


def people(n: int, threshold: int) -> str:
    """A count of people, hidden when small (1 to threshold − 1): computed first, suppressed last."""
    if 0 < n < threshold:
        return f"<{threshold}"
    return number(n)


def percent(part: int, whole: int) -> str:
    if not whole:
        return "—"
    return number(Decimal(100 * part) / whole, 0) + " %"


def category_name(code: str) -> str:
    if code == ALL:
        return _("All categories")
    return str(ServiceCategory.Code(code).label)


def sex_name(sex: str) -> str:
    return {"female": _("Female"), "male": _("Male"), "unknown": _("Sex not recorded")}[sex]


def group_name(group: str) -> str:
    return {"migrant": _("Migrants"), "host": _("Host community")}[group]


def band_name(band: str) -> str:
    return band.replace("-", "–")


def month_name(iso: str) -> str:
    return formats.date_format(dt.date.fromisoformat(iso), "YEAR_MONTH_FORMAT")


# ---- The document ----------------------------------------------------------------------------------------


@dataclass
class Table:
    """A titled table: header rows of (text, colspan, rowspan) and body rows of text, numbers right-aligned."""

    title: str
    header: list[list[tuple[str, int, int]]]
    rows: list[list[str]]
    # Columns holding numbers (right-aligned, number formats in the spreadsheet).
    numeric_from: int = 1
    note: str = ""
    # Raw figures, row by row, for the spreadsheet's number cells (None where the cell is text).
    values: list[list] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)


@dataclass
class Document:
    title: str
    scope: str
    period: str
    headline: list[tuple[str, str, str]]  # (label, value, comment)
    chart: list[tuple[str, int, str]]  # (category, people reached, as shown), for the bar chart
    runway: Table
    tables: list[Table]
    definitions: list[str]


class _Figures:
    """The stored JSON read back into look-ups (keys as stored: centre ids as strings, ALL as "*")."""

    def __init__(self, data: dict):
        self.data = data
        self.threshold = data["threshold"]
        self.centers = {pk: (code, name) for pk, code, name in data["centers"]}
        self.cells = {tuple(row[:5]): row[5] for row in data["cells"]}
        self.totals = {(c, cat): n for c, cat, n, _contacts in data["totals"]}
        self.contacts = {(c, cat): n for c, cat, _n, n in data["totals"]}
        self.registrations = dict(map(tuple, data["new_registrations"]))
        self.costs = dict(map(tuple, data["costs"]))
        self.per_person = dict(map(tuple, data["per_person"]))
        self.ytd_reached = dict(map(tuple, data["ytd_reached"]))
        self.ytd_costs = dict(map(tuple, data["ytd_costs"]))
        self.ytd_per_person = dict(map(tuple, data["ytd_per_person"]))
        self.scope = ALL if data["national"] else data["centers"][0][0]

    def cell(self, center, category, sex=None, band=None, group=None) -> int:
        """People in a cell or a margin: cells partition a (centre, category)'s people, so margins are sums."""
        return sum(
            n
            for (c, cat, s, b, g), n in self.cells.items()
            if c == center
            and cat == category
            and sex in (None, s)
            and band in (None, b)
            and group in (None, g)
        )

    def categories(self) -> list[str]:
        return sorted({cat for (c, cat) in self.totals if cat != ALL})


def _sex_age_table(f: _Figures, title: str, group: str | None) -> Table:
    bands = [b for b, _low, _high in AGE_BANDS]
    header = [
        [
            (_("Service category"), 1, 2),
            (_("Female"), len(bands), 1),
            (_("Male"), len(bands), 1),
            (_("Sex not recorded"), 1, 2),
            (_("Total"), 1, 2),
        ],
        [(band_name(b), 1, 1) for b in bands] * 2,
    ]
    rows, values = [], []
    for category in [*f.categories(), ALL]:
        figures = [
            f.cell(f.scope, category, sex, band, group) for sex in ("female", "male") for band in bands
        ]
        figures.append(f.cell(f.scope, category, "unknown", None, group))
        figures.append(f.cell(f.scope, category, None, None, group))
        rows.append([category_name(category), *[people(n, f.threshold) for n in figures]])
        values.append([None, *[n if not 0 < n < f.threshold else None for n in figures]])
    widths = [58, *[15] * (2 * len(bands)), 22, 18]
    return Table(title=title, header=header, rows=rows, values=values, widths=widths)


def _centers_table(f: _Figures) -> Table:
    header = [
        [
            (_("Centre"), 1, 1),
            (_("People reached"), 1, 1),
            (_("New registrations"), 1, 1),
            (_("Contacts"), 1, 1),
            (_("Costs (USD)"), 1, 1),
            (_("Cost per person (USD)"), 1, 1),
            (_("Cost per person, year to date (USD)"), 1, 1),
        ]
    ]
    rows, values = [], []
    keys = [pk for pk in f.centers] + ([ALL] if f.data["national"] else [])
    for key in keys:
        name = f.centers[key][1] if key != ALL else _("All centres (a person counted once)")
        reached = f.totals.get((key, ALL), 0)
        figures = [
            reached,
            f.registrations.get(key, 0),
            f.contacts.get((key, ALL), 0),
            f.costs.get(key),
            f.per_person.get(key),
            f.ytd_per_person.get(key),
        ]
        rows.append(
            [
                name,
                people(reached, f.threshold),
                number(figures[1]),
                number(figures[2]),
                number(figures[3], 2),
                number(figures[4], 2),
                number(figures[5], 2),
            ]
        )
        values.append([None, *[None if v is None else Decimal(v) for v in figures]])
        if 0 < reached < f.threshold:
            values[-1][1] = None
    return Table(
        title=_("Centres side by side") if f.data["national"] else _("Reach and cost"),
        header=header,
        rows=rows,
        values=values,
        widths=[70, 28, 28, 28, 32, 32, 42],
    )


def _center_category_table(f: _Figures) -> Table:
    categories = f.categories()
    header = [
        [(_("Centre"), 1, 1), *[(category_name(c), 1, 1) for c in categories], (_("All categories"), 1, 1)]
    ]
    rows, values = [], []
    for key in [*f.centers, ALL]:
        name = f.centers[key][1] if key != ALL else _("All centres (a person counted once)")
        figures = [f.totals.get((key, c), 0) for c in [*categories, ALL]]
        rows.append([name, *[people(n, f.threshold) for n in figures]])
        values.append([None, *[n if not 0 < n < f.threshold else None for n in figures]])
    width = min(34, 200 / max(1, len(categories) + 1))
    return Table(
        title=_("People reached by centre and service category"),
        header=header,
        rows=rows,
        values=values,
        widths=[62, *[width] * (len(categories) + 1)],
    )


def _courses_table(f: _Figures) -> Table:
    national = f.data["national"]
    header = [
        [
            *([(_("Centre"), 1, 1)] if national else []),
            (_("Course"), 1, 1),
            (_("Attendance marks"), 1, 1),
            (_("Marked present"), 1, 1),
            (_("Attendance rate"), 1, 1),
        ]
    ]
    rows, values = [], []
    for center, course, marked, present in f.data["courses"]:
        rows.append(
            [
                *([center] if national else []),
                course,
                number(marked),
                number(present),
                percent(present, marked),
            ]
        )
        values.append(
            [*([None] if national else []), None, marked, present, present / marked if marked else None]
        )
    return Table(
        title=_("Course attendance"),
        header=header,
        rows=rows,
        values=values,
        numeric_from=2 if national else 1,
        widths=[*([30] if national else []), 110, 40, 40, 40],
    )


def _feedback_table(f: _Figures) -> Table:
    national = f.data["national"]
    header = [
        [
            *([(_("Centre"), 1, 1)] if national else []),
            (_("Kind"), 1, 1),
            (_("Received"), 1, 1),
            (_("Closed"), 1, 1),
            (_("Open at the end of the month"), 1, 1),
            (_("Open for more than %(days)d days") % {"days": FEEDBACK_ANSWER_DAYS}, 1, 1),
        ]
    ]
    rows, values = [], []
    for center, kind, *counts in f.data["feedback"]:
        code = f.centers.get(center, (center, center))[0]
        rows.append(
            [*([code] if national else []), str(Feedback.Kind(kind).label), *[number(n) for n in counts]]
        )
        values.append([*([None] if national else []), None, *counts])
    return Table(
        title=_("Feedback"),
        header=header,
        rows=rows,
        values=values,
        numeric_from=2 if national else 1,
        widths=[*([30] if national else []), 60, 35, 35, 50, 50],
    )


def _runway_table(f: _Figures) -> Table:
    header = [
        [
            (_("Funding source"), 1, 1),
            (_("Left (USD)"), 1, 1),
            (_("Monthly spend, last three months (USD)"), 1, 1),
            (_("Months left"), 1, 1),
        ]
    ]
    rows, values = [], []
    for source, left, monthly, months in f.data["runway"]:
        rows.append([source, number(left, 0), number(monthly, 0), number(months, 1)])
        values.append([None, *[None if v is None else Decimal(v) for v in (left, monthly, months)]])
    return Table(title=_("Funding runway"), header=header, rows=rows, values=values, widths=[90, 40, 70, 35])


def _definitions(f: _Figures) -> list[str]:
    threshold = f.threshold
    low, high = f.data["usd_range"]
    lines = [
        _(
            "A contact is an attendance marked present, a one-to-one service or a case follow-up, each with its date, centre and service category."
        ),
        _(
            "People reached: distinct people with at least one contact in the month, there, in that category. Rows do not add up: a person is counted once per row."
        ),
        _("National totals count a person served by two centres once. Registration alone is not reach."),
        _(
            "Age is the age on the last day of the month. Migrants are every population group other than the host community."
        ),
        _(
            "Cost per person: the centre's costs in the period, in US dollars at each month's exchange rate, divided by the people it reached. The case study's range is USD %(low)s–%(high)s."
        )
        % {"low": low, "high": high},
        _(
            "Small cells: every count of people from 1 to %(n)d is shown as <%(threshold)d, in every table that breaks people down, so that no one can be recognised. Totals are computed before this."
        )
        % {"n": threshold - 1, "threshold": threshold},
        _(
            "Funding runway: what is left of each funding source at the end of the month, divided by its average monthly spending over the last three months."
        ),
        _("Attendance rate: the share of attendance marks of courses that were marked present."),
    ]
    if f.data["missing_rates"]:
        lines.append(
            _("Missing exchange rates (those costs are left out): %(months)s")
            % {"months": ", ".join(f.data["missing_rates"])}
        )
    return lines


def document(data: dict) -> Document:
    """The report in the active language, from stored figures only."""
    f = _Figures(data)
    national = data["national"]
    scope = _("All centres") if national else f.centers[f.scope][1]
    reached = f.totals.get((f.scope, ALL), 0)
    low, high = data["usd_range"]
    band = _("case study: USD %(low)s–%(high)s") % {"low": low, "high": high}
    marks = sum(row[2] for row in data["courses"])
    present = sum(row[3] for row in data["courses"])
    headline = [
        (_("People reached"), people(reached, f.threshold), _("distinct people with at least one contact")),
        (_("New registrations"), number(f.registrations.get(f.scope, 0)), _("people registered this month")),
        (_("Contacts"), number(f.contacts.get((f.scope, ALL), 0)), _("attendances, services and follow-ups")),
        (_("Cost per person this month"), _usd(f.per_person.get(f.scope)), band),
        (_("Cost per person, year to date"), _usd(f.ytd_per_person.get(f.scope)), band),
        (
            _("Attendance rate of courses"),
            percent(present, marks),
            _("%(marks)s attendance marks") % {"marks": number(marks)},
        ),
    ]
    chart = [
        (category_name(c), n, people(n, f.threshold))
        for c in f.categories()
        for n in [f.totals.get((f.scope, c), 0)]
    ]
    tables = [
        _sex_age_table(f, _("People reached by service category, sex and age"), None),
        *[
            _sex_age_table(
                f,
                _("%(group)s: people reached by service category, sex and age") % {"group": group_name(g)},
                g,
            )
            for g in GROUPS
        ],
        _centers_table(f),
    ]
    if national:
        tables.append(_center_category_table(f))
    tables += [_courses_table(f), _feedback_table(f)]
    return Document(
        title=_("Monthly report: people reached and cost per person"),
        scope=scope,
        period=month_name(data["start"]),
        headline=headline,
        chart=chart,
        runway=_runway_table(f),
        tables=tables,
        definitions=_definitions(f),
    )


def _usd(value) -> str:
    return "—" if value is None else pgettext("amount", "USD %(amount)s") % {"amount": number(value, 2)}
