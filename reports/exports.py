"""The monthly report's tables. Disaggregated tables hide small cells; core.tables renders them."""

from django.conf import settings
from django.utils.translation import gettext as _

from centers.models import Center
from core.counting import AGE_BANDS, ALL, GROUPS, SEXES, small_cell
from core.tables import RENDERERS, jsonable, to_xlsx  # noqa: F401 - the report's renderers
from listening.models import FEEDBACK_ANSWER_DAYS, Feedback
from reports.costs import USD_RANGE


def _center_names(keys) -> dict:
    ids = [k for k in keys if k != ALL]
    names = dict(Center.objects.filter(pk__in=ids).values_list("pk", "code"))
    names[ALL] = _("All centres")
    return names


def _money_table(centers: dict, costs: dict, reached: dict, per_person: dict) -> list[list]:
    rows = [
        [
            _("Centre"),
            _("Costs (USD)"),
            _("People reached"),
            _("Cost per person (USD)"),
            _("Case-study range (USD)"),
        ]
    ]
    for center, usd in sorted(costs.items(), key=lambda kv: (kv[0] == ALL, centers.get(kv[0], ""))):
        rows.append(
            [
                centers[center],
                round(usd, 2),
                reached.get((center, ALL), 0),
                per_person.get(center),
                f"{USD_RANGE[0]}–{USD_RANGE[1]}",
            ]
        )
    return rows


def _feedback_table(rows: list[dict]) -> list[list]:
    """Feedback per centre and kind, then every centre together (each piece of feedback has one centre)."""
    centers = _center_names({r["center_id"] for r in rows})
    table = [
        [
            _("Centre"),
            _("Kind"),
            _("Received"),
            _("Closed"),
            _("Open at the end of the period"),
            _("Open for more than %(days)d days") % {"days": FEEDBACK_ANSWER_DAYS},
        ]
    ]
    counts = ["received", "closed", "open", "late"]
    totals = {}
    for r in sorted(rows, key=lambda r: (centers[r["center_id"]], r["kind"])):
        table.append([centers[r["center_id"]], str(Feedback.Kind(r["kind"]).label), *[r[c] for c in counts]])
        total = totals.setdefault(r["kind"], [0] * len(counts))
        for i, c in enumerate(counts):
            total[i] += r[c]
    if len({r["center_id"] for r in rows}) > 1:
        for kind, total in sorted(totals.items()):
            table.append([centers[ALL], str(Feedback.Kind(kind).label), *total])
    return table


def _disaggregated_table(reach, centers: dict) -> list[list]:
    rows = [[_("Centre"), _("Category"), _("Sex"), _("Age"), _("Group"), _("People reached")]]
    categories = sorted({k[1] for k in reach.totals})
    for center in sorted({k[0] for k in reach.totals}, key=lambda c: (c == ALL, centers.get(c, ""))):
        for category in categories:
            for sex in SEXES:
                for band, _low, _high in AGE_BANDS:
                    for group in GROUPS:
                        n = reach.cells.get((center, category, sex, band, group), 0)
                        if n:
                            rows.append([centers[center], category, sex, band, group, small_cell(n)])
    return rows


def _totals_table(reach, centers: dict) -> list[list]:
    rows = [[_("Centre"), _("Category"), _("People reached"), _("Contacts")]]
    for (center, category), n in sorted(
        reach.totals.items(), key=lambda kv: (kv[0][0] == ALL, centers.get(kv[0][0], ""), kv[0][1])
    ):
        rows.append([centers[center], category, small_cell(n), reach.contacts.get((center, category), 0)])
    return rows


def _definitions(reach, missing_rates) -> list[list]:
    threshold = settings.REPORT_SMALL_CELL_THRESHOLD
    lines = [
        _(
            "A contact is an attendance marked present, a one-to-one service or a case follow-up, each with its date, centre and category."
        ),
        _(
            "People reached: distinct people with at least one contact in the period, there, in that category. Rows do not add up: a person is counted once per row."
        ),
        _("National totals count a person served by two centres once. Registration alone is not reach."),
        _(
            "Age is the age on the last day of the period. Group: host community or migrant (every other population group)."
        ),
        _(
            "Cost per person = costs of the centre in the period, in USD at each month's rate, divided by people reached there."
        ),
        _("Counts from 1 to %(n)d are shown as <%(threshold)d; totals are computed before this.")
        % {"n": threshold - 1, "threshold": threshold},
        _("Period: %(start)s to %(end)s.") % {"start": reach.start, "end": reach.end},
    ]
    if missing_rates:
        lines.append(
            _("Missing exchange rates (costs left out): %(months)s") % {"months": ", ".join(missing_rates)}
        )
    return [[_("Definitions")]] + [[line] for line in lines]


def tables(
    *, reach, costs, cost_per_person, missing_rates, year_to_date=None, courses=(), feedback=()
) -> dict[str, list[list]]:
    """The report as named tables of rows (first row: headers).

    ``year_to_date`` is (reach totals, costs, cost per person) from 1 January: distinct people over
    the whole period, not the sum of the months (DESIGN.md)."""
    keys = {k[0] for k in reach.totals} | set(costs)
    if year_to_date:  # a centre with costs earlier in the year and none this month has a row there too
        keys |= {k[0] for k in year_to_date[0]} | set(year_to_date[1])
    centers = _center_names(keys)
    disaggregated = _disaggregated_table(reach, centers)
    totals = _totals_table(reach, centers)
    money = _money_table(centers, costs, reach.totals, cost_per_person)
    registrations = [[_("Centre"), _("New registrations")]] + [
        [centers.get(c, c), n]
        for c, n in sorted(reach.new_registrations.items(), key=lambda kv: kv[0] == ALL)
    ]
    definitions = _definitions(reach, missing_rates)
    return {
        _("Reach by sex, age and group"): disaggregated,
        _("People reached"): totals,
        _("Cost per person"): money,
        _("Course attendance"): [[_("Centre"), _("Course"), _("Attendance marks"), _("Present (%)")]]
        + [[c["center"], c["course"], c["marked"], c["rate"]] for c in courses],
        **(
            {
                _("Cost per person, year to date"): _money_table(
                    centers, year_to_date[1], year_to_date[0], year_to_date[2]
                )
            }
            if year_to_date
            else {}
        ),
        _("New registrations"): registrations,
        _("Feedback"): _feedback_table(list(feedback)),
        _("Definitions"): definitions,
    }
