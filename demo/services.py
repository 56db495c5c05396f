"""A year of timetable for each open centre: courses, groups, sessions, enrolments and attendance."""

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from beneficiaries.models import Beneficiary
from centers.models import Center, Role
from services.models import Activity, ActivitySlot, Attendance, Enrollment, ServiceCategory, ServiceDelivery
from services.services import activity_save

# name, category, kind, room, capacity, ages, sex, slots [(weekday, start hour, hours)], threshold, facilitator role
TIMETABLE = [
    (
        "Turkish A1 (morning)",
        "B",
        "course",
        "Classroom 1",
        18,
        (16, None),
        "any",
        [(0, 10, 2), (2, 10, 2)],
        75,
        Role.TRAINER,
    ),
    (
        "Turkish A2 (afternoon)",
        "B",
        "course",
        "Classroom 2",
        18,
        (16, None),
        "any",
        [(1, 14, 2), (3, 14, 2)],
        75,
        Role.TRAINER,
    ),
    (
        "Tailoring for women",
        "B",
        "course",
        "Tailoring workshop",
        12,
        (16, None),
        "female",
        [(0, 13, 3), (3, 10, 3)],
        70,
        Role.TRAINER,
    ),
    (
        "Hairdressing",
        "B",
        "course",
        "Hairdressing workshop",
        10,
        (16, None),
        "any",
        [(1, 10, 3)],
        70,
        Role.TRAINER,
    ),
    (
        "Computer skills",
        "B",
        "course",
        "Computer room",
        14,
        (14, None),
        "any",
        [(2, 14, 2), (4, 14, 2)],
        75,
        Role.TRAINER,
    ),
    (
        "Child-friendly space (6–11)",
        "A",
        "group",
        "Child-friendly space",
        20,
        (6, 11),
        "any",
        [(0, 14, 2), (2, 14, 2), (4, 10, 2)],
        None,
        Role.TRAINER,
    ),
    (
        "Homework club",
        "A",
        "group",
        "Classroom 1",
        16,
        (7, 15),
        "any",
        [(1, 16, 2), (3, 16, 2)],
        None,
        Role.TRAINER,
    ),
    (
        "Seminar: rights and services",
        "C",
        "group",
        "Seminar hall",
        40,
        (16, None),
        "any",
        [(4, 10, 2)],
        None,
        Role.SOCIAL_WORKER,
    ),
    (
        "PSS group for women",
        "D",
        "group",
        "Group room",
        12,
        (18, None),
        "female",
        [(1, 10, 2)],
        None,
        Role.PSYCHOLOGIST,
    ),
    (
        "Neighbours' tea: integration",
        "F",
        "group",
        "Seminar hall",
        30,
        (16, None),
        "any",
        [(2, 16, 2)],
        None,
        Role.SOCIAL_WORKER,
    ),
]

# What each activity answers, for the needs-versus-offer page.
NEED_OF = {
    "Turkish A1 (morning)": "language",
    "Turkish A2 (afternoon)": "language",
    "Tailoring for women": "vocational_training",
    "Hairdressing": "vocational_training",
    "Computer skills": "employment",
    "Homework club": "children_education",
    "Child-friendly space (6–11)": "psychosocial",
    "Seminar: rights and services": "legal_documentation",
    "PSS group for women": "psychosocial",
    "Neighbours' tea: integration": "social_cohesion",
}

DELIVERIES = [
    ("information", "E", 15),
    ("interpretation", "E", 30),
    ("accompanied_referral", "E", 120),
    ("counselling", "D", 50),
]


def _room(center: Center, name: str):
    return (
        center.rooms.filter(name=name).first()
        or center.rooms.filter(floor=0).exclude(name__startswith="Reception").first()
    )


def _staff(center: Center, role):
    membership = center.memberships.filter(role=role).select_related("user").first()
    return membership.user if membership else None


def _eligible(activity: Activity, people: list[Beneficiary], day: dt.date) -> list[Beneficiary]:
    return [p for p in people if activity.eligibility_error(p, on=day) is None]


@transaction.atomic
def seed(*, rng: random.Random) -> dict[str, int]:
    today = timezone.localdate()
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    created = {}
    for center in Center.objects.filter(status=Center.Status.OPEN, opened_on__isnull=False):
        if Activity.objects.filter(center=center).exists():
            continue
        people = list(Beneficiary.objects.active().filter(center=center))
        if not people:
            continue
        reception = _staff(center, Role.RECEPTION)
        starts_on = max(center.opened_on, today - dt.timedelta(days=364))
        attendances, enrollments = [], []
        for name, code, kind, room_name, capacity, (
            min_age,
            max_age,
        ), sex, slots, threshold, role in TIMETABLE:
            facilitator = _staff(center, role)
            activity = Activity(
                center=center,
                category=categories[code],
                name=name,
                kind=kind,
                room=_room(center, room_name),
                capacity=capacity,
                starts_on=starts_on,
                ends_on=today + dt.timedelta(days=90),
                min_age=min_age,
                max_age=max_age,
                target_sex=sex,
                needs_enrolment=kind == "course" or code in "AD",
                completion_threshold=threshold,
                facilitator=facilitator,
                need=NEED_OF.get(name, ""),
            )
            if activity.room and activity.capacity > activity.room.capacity:
                activity.capacity = activity.room.capacity
            weekly = [
                ActivitySlot(weekday=d, starts_at=dt.time(h), ends_at=dt.time(h + length))
                for d, h, length in slots
            ]
            try:
                activity_save(activity=activity, slots=weekly)
            except ValidationError:
                continue  # a smaller centre lacks the room at that hour: no such activity there
            pool = _eligible(activity, people, starts_on)
            rng.shuffle(pool)
            members = pool[: activity.capacity]
            waiting = (
                pool[activity.capacity : activity.capacity + rng.randint(0, 6)] if kind == "course" else []
            )
            when = timezone.make_aware(dt.datetime.combine(starts_on, dt.time(9)))
            for person in members:
                enrollments.append(
                    Enrollment(
                        activity=activity,
                        beneficiary=person,
                        status="enrolled",
                        by=reception,
                        requested_at=when,
                        status_changed_at=when,
                    )
                )
            for person in waiting:
                enrollments.append(
                    Enrollment(
                        activity=activity,
                        beneficiary=person,
                        status="waitlisted",
                        by=reception,
                        requested_at=when,
                        status_changed_at=when,
                    )
                )
            walk_in_pool = pool[activity.capacity + 6 :] or pool
            for session in activity.sessions.filter(date__lte=today):
                if not session.has_started():
                    continue  # later today: no one has attended it yet
                present = (
                    [p for p in members if rng.random() < 0.8]
                    if activity.needs_enrolment
                    else rng.sample(pool, min(len(pool), rng.randint(8, activity.capacity)))
                )
                absent = [p for p in members if p not in present] if activity.needs_enrolment else []
                walk_ins = rng.sample(walk_in_pool, min(len(walk_in_pool), rng.choice([0, 0, 1, 2])))
                seen = set()
                for person, is_present, walk_in in [
                    *((p, True, False) for p in present),
                    *((p, False, False) for p in absent),
                    *((p, True, True) for p in walk_ins),
                ]:
                    if person.pk in seen:
                        continue
                    seen.add(person.pk)
                    attendances.append(
                        Attendance(
                            session=session,
                            beneficiary=person,
                            present=is_present,
                            walk_in=walk_in,
                            recorded_by=facilitator or reception,
                        )
                    )
        Enrollment.objects.bulk_create(enrollments, batch_size=2000)
        Attendance.objects.bulk_create(attendances, batch_size=5000)
        deliveries = []
        for person in rng.sample(people, len(people) // 3):
            service, code, minutes = rng.choice(DELIVERIES)
            day = person.registered_at.date() + dt.timedelta(days=rng.randint(0, 120))
            if day <= today:
                deliveries.append(
                    ServiceDelivery(
                        center=center,
                        beneficiary=person,
                        category=categories[code],
                        type=service,
                        date=day,
                        duration_minutes=minutes,
                        staff=reception,
                    )
                )
        ServiceDelivery.objects.bulk_create(deliveries)
        created[center.code] = len(attendances)
    return created
