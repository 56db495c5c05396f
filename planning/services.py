"""Writes for planning: a planned centre and its plan, saved scenarios, and opening a centre from its plan."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import recorder
from centers.models import Center, Room
from core.tokens import create_once
from services import services as activities
from services.models import Activity, ActivitySlot

from .models import CenterPlan, PlannedActivity, PlannedCost, PlannedStaff, Scenario, ScenarioOpening

CENTER_FIELDS = ("code", "name", "city", "address", "floors", "area_m2")
PLAN_FIELDS = ("target_month", "district", "notes")
ACTIVITY_FIELDS = (
    "category",
    "name",
    "kind",
    "capacity",
    "sessions_a_week",
    "starts_at",
    "ends_at",
    "room_name",
    "need",
)
STAFF_FIELDS = ("role", "count", "monthly_cost", "currency", "funding_source")
COST_FIELDS = ("type", "one_off", "amount", "currency", "funding_source", "note")
FIRST_YEAR_DAYS = 364  # activities opened from a plan run for a year; the manager extends or ends them


def _rows(model, plan: CenterPlan, rows: list[dict], fields: tuple) -> None:
    """Replace the plan's rows of ``model`` by ``rows``: editing a plan is rewriting it (and audited row by row)."""
    for old in model.objects.filter(plan=plan):
        old.delete()
    for data in rows:
        row = model(plan=plan, **{name: data[name] for name in fields})
        row.full_clean()
        row.save()


@transaction.atomic
def plan_save(
    *,
    center: Center | None,
    center_data: dict,
    plan_data: dict,
    activity_rows: list[dict],
    staff_rows: list[dict],
    cost_rows: list[dict],
    token: uuid.UUID | None = None,
) -> CenterPlan:
    """Create a planned centre with its plan (once per ``token``), or change one. Only planned centres change."""
    if center is not None and center.status != Center.Status.PLANNED:
        raise ValidationError(_("This centre is open: its plan can no longer change."))

    def create() -> CenterPlan:
        new = Center(status=Center.Status.PLANNED, **{name: center_data[name] for name in CENTER_FIELDS})
        new.full_clean()
        new.save()
        plan = CenterPlan(center=new, submission_token=token, **{n: plan_data[n] for n in PLAN_FIELDS})
        plan.full_clean()
        plan.save()
        return plan

    if center is None:
        plan, created = create_once(CenterPlan.objects.all(), create=create, submission_token=token)
        if not created:
            return plan  # a double submit: the first one already wrote it all
    else:
        for name in CENTER_FIELDS:
            if name != "code":
                setattr(center, name, center_data[name])
        center.full_clean()
        center.save()
        plan = CenterPlan.objects.filter(center=center).first() or CenterPlan(center=center)
        for name in PLAN_FIELDS:
            setattr(plan, name, plan_data[name])
        plan.full_clean()
        plan.save()
    _rows(PlannedActivity, plan, activity_rows, ACTIVITY_FIELDS)
    _rows(PlannedStaff, plan, staff_rows, STAFF_FIELDS)
    _rows(PlannedCost, plan, cost_rows, COST_FIELDS)
    return plan


def scenario_save(*, name: str, openings: list, by, token: uuid.UUID) -> Scenario:
    """Save named openings ([(Center, month)]); a double submit saves one scenario."""

    def create() -> Scenario:
        scenario = Scenario(name=name, created_by=by, submission_token=token)
        scenario.full_clean()
        scenario.save()
        for center, month in openings:
            if center.status != Center.Status.PLANNED:
                raise ValidationError(_("%(centre)s is not a planned centre.") % {"centre": center.code})
            ScenarioOpening.objects.create(scenario=scenario, center=center, month=month.replace(day=1))
        return scenario

    return create_once(Scenario.objects.all(), create=create, submission_token=token)[0]


def _weekdays(n: int) -> list[int]:
    return list(range(n))  # Monday onwards, one session a day


@transaction.atomic
def center_open(*, center: Center, on: dt.date, by) -> list[Activity]:
    """Turn a planned centre into an open one on ``on``, carrying its plan over: a room for each room the
    plan names, and each planned activity created as the activity form creates one (its weekly slots and a
    year of sessions), with no facilitator yet: the centre manager assigns them. Services.Activity has no
    draft state; the timetable is the plan's until the manager changes it."""
    center = Center.objects.select_for_update().get(pk=center.pk)
    if center.status != Center.Status.PLANNED:
        raise ValidationError(_("This centre is already open."))
    plan = CenterPlan.objects.filter(center=center).first()
    if plan is None:
        raise ValidationError(_("This centre has no plan to open with."))
    center.status = Center.Status.OPEN
    center.opened_on = on
    center.full_clean()
    center.save()
    planned = list(plan.activities.select_related("category"))
    rooms = {}
    for item in planned:
        if item.room_name and item.room_name not in rooms:
            holds = max(p.capacity for p in planned if p.room_name == item.room_name)
            rooms[item.room_name], _created = Room.objects.get_or_create(
                center=center, name=item.room_name, defaults={"capacity": holds, "floor": 0}
            )
    created = []
    for item in planned:
        activity = Activity(
            center=center,
            category=item.category,
            name=item.name,
            kind=item.kind,
            capacity=item.capacity,
            room=rooms.get(item.room_name),
            starts_on=on,
            ends_on=on + dt.timedelta(days=FIRST_YEAR_DAYS),
            need=item.need,
        )
        slots = [
            ActivitySlot(weekday=d, starts_at=item.starts_at, ends_at=item.ends_at)
            for d in _weekdays(item.sessions_a_week)
        ]
        try:
            created.append(activities.activity_save(activity=activity, slots=slots))
        except ValidationError as exc:
            raise ValidationError(
                _("%(activity)s: %(problem)s") % {"activity": item.name, "problem": " ".join(exc.messages)}
            ) from exc
    recorder.record(
        "update",
        obj=center,
        center_id=center.pk,
        detail={"opened_from_plan": True, "activities": len(created)},
    )
    return created
