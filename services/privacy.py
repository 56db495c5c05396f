"""What services holds about a person: enrolments, attendance, one-to-one services, check-ins, desk messages.

Contacts stay as anonymous rows after anonymisation: reports count them."""

from django.db.models import Exists
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalData, declare, not_personal

from .models import Attendance, CheckIn, ServiceDelivery

CONTACT = "kept as an anonymous contact: reports count it"

declare(
    PersonalData(
        model="services.Enrollment", section="enrolments", title=_("Enrolments"), order=40, keeps=CONTACT
    )
)
declare(
    PersonalData(
        model="services.Attendance",
        section="attendance",
        title=_("Attendance"),
        order=41,
        keeps=CONTACT,
        retains=lambda person, cutoff: Exists(
            Attendance.objects.filter(beneficiary=person, session__date__gte=cutoff)
        ),
    )
)
declare(
    PersonalData(
        model="services.ServiceDelivery",
        section="services",
        title=_("One-to-one services"),
        order=42,
        keeps=CONTACT,
        retains=lambda person, cutoff: Exists(
            ServiceDelivery.objects.filter(beneficiary=person, date__gte=cutoff)
        ),
    )
)
declare(
    PersonalData(
        model="services.CheckIn",
        section="check_ins",
        title=_("Check-ins"),
        order=43,
        keeps="when they came",
        retains=lambda person, cutoff: Exists(
            CheckIn.objects.filter(beneficiary=person, at__date__gte=cutoff)
        ),
    )
)
declare(
    PersonalData(
        model="services.DeskMessage",
        section="desk_messages",
        title=_("Desk messages"),
        order=44,
        erase={"text": ""},
        count_as="desk_messages",
    )
)

not_personal("services.Activity", reason="a course or activity: its name, timetable and room")
