"""What the listening tests share: a month, URLs, logging in, an interview."""

import datetime as dt
import uuid

from django.urls import reverse

from listening import services
from listening.models import OutreachVisit

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def url(name, center="ANK", **kwargs):
    return reverse(f"listening:{name}", kwargs={"center": center, **kwargs})


def login(client, world, role, center="ANK"):
    client.force_login(world.user(center if role not in ("data_protection_officer",) else None, role))
    return client


def interview(
    world, needs, *, center="ANK", group="temporary_protection", date=dt.date(2026, 10, 10), quote=""
):
    visit = OutreachVisit.objects.create(
        center=world.centers[center],
        date=date,
        district="Keçiören",
        created_by=world.user(center, "social_worker"),
    )
    return services.interview_save(
        visit=visit,
        by=world.user(center, "social_worker"),
        submission_id=str(uuid.uuid4()),
        needs=needs,
        respondent_sex="male",
        age_band="age_18_59",
        population_group=group,
        nationality="AF",
        beneficiary=None,
        quote=quote,
    )
