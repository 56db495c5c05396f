"""Demo messages: a few people enrolled in a course agree to be contacted and get a reminder of it.

With the default file backend (SMS_BACKEND) they are written to SMS_FILE_PATH — nothing leaves the machine.
"""

import random

from django.utils import timezone

from beneficiaries.models import CONTACT_SCOPE, Beneficiary, Consent
from centers.models import Center, Role
from messaging import conf
from messaging import services as messaging
from messaging.models import ContactPreference
from services.models import Activity, Enrollment, ServiceCategory

PEOPLE_PER_CENTRE = 12


def seed(*, rng: random.Random) -> dict[str, int]:
    """Idempotent: consent is recorded once, and each notice's de-duplication key stops a second copy."""
    queued = {}
    for center in Center.objects.filter(status="open"):
        reception = center.memberships.filter(role=Role.RECEPTION).select_related("user").first()
        activity = (
            Activity.objects.in_center(center)
            .filter(kind=Activity.Kind.COURSE, ends_on__gte=timezone.localdate())
            .exclude(category__code=ServiceCategory.Code.PSYCHOSOCIAL)
            .order_by("starts_on", "pk")
            .first()
        )
        if reception is None or activity is None:
            continue
        people = list(
            Beneficiary.objects.active()
            .filter(enrollments__activity=activity, enrollments__status=Enrollment.Status.ENROLLED)
            .exclude(phone="")
            .order_by("pk")[:PEOPLE_PER_CENTRE]
        )
        for person in people:
            if not Consent.objects.filter(beneficiary=person, scope=CONTACT_SCOPE).exists():
                Consent.objects.create(
                    beneficiary=person, scope=CONTACT_SCOPE, given=True, recorded_by=reception.user
                )
            ContactPreference.objects.get_or_create(
                beneficiary=person,
                defaults={
                    "channel": rng.choice(["sms", "sms", "whatsapp"]),
                    "language": messaging.default_language(person),
                },
            )
        try:
            variables = messaging.broadcast_variables(
                template="activity_reminder", activity=activity, note=""
            )
        except ValueError:
            continue
        result = messaging.messages_queue_many(
            people=people,
            center=center,
            template="activity_reminder",
            variables=variables,
            key=f"demo-reminder:{activity.pk}",
        )
        queued[center.code] = len(result.messages)
    return queued


def where() -> str:
    return conf.file_path() if conf.backend_path().endswith("FileBackend") else conf.backend_path()
