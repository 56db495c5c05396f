"""Demo service directory: a few partners' service points per city (a migrant health centre in Ankara's
Altındağ among them), each kept by the centre of its city, and the Ministry of Health's focal point account."""

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from cases.models import Partner, PartnerFocalPoint, ServicePoint
from centers.models import Center, Role

# (organisation, name, service types, district, opening hours, languages, how to refer)
POINTS = {
    "Ankara": [
        (
            "Ministry of Health",
            "Altındağ migrant health centre",
            ["health_care", "mental_health"],
            "Altındağ",
            "Mon–Fri 08:00–17:00",
            ["Turkish", "Arabic"],
            "in_system",
        ),
        (
            "Ministry of National Education",
            "Altındağ Public Education Centre",
            ["education_enrolment", "language_courses"],
            "Altındağ",
            "Mon–Sat 09:00–21:00",
            ["Turkish"],
            "in_person",
        ),
        (
            "Ministry of Family and Social Services",
            "Keçiören social services centre",
            ["social_assistance", "child_protection", "gbv_services"],
            "Keçiören",
            "Mon–Fri 08:30–17:30",
            ["Turkish", "Arabic"],
            "letter",
        ),
        (
            "Legal aid NGO",
            "Çankaya legal clinic",
            ["legal_aid"],
            "Çankaya",
            "Tue, Thu 10:00–16:00",
            ["Turkish", "Arabic", "Persian", "English"],
            "phone",
        ),
    ],
    "Istanbul": [
        (
            "Ministry of Health",
            "Fatih migrant health centre",
            ["health_care"],
            "Fatih",
            "Mon–Fri 08:00–17:00",
            ["Turkish", "Arabic"],
            "in_system",
        ),
        (
            "Turkish Employment Agency (İŞKUR)",
            "Esenyurt job desk",
            ["livelihoods"],
            "Esenyurt",
            "Mon–Fri 09:00–16:00",
            ["Turkish"],
            "in_person",
        ),
        (
            "UNHCR",
            "Sultanbeyli protection desk",
            ["legal_aid", "child_protection"],
            "Sultanbeyli",
            "Mon–Thu 10:00–15:00",
            ["Arabic", "Persian", "Turkish"],
            "phone",
        ),
    ],
    "Konya": [
        (
            "Ministry of Health",
            "Karatay migrant health centre",
            ["health_care"],
            "Karatay",
            "Mon–Fri 08:00–17:00",
            ["Turkish", "Arabic"],
            "letter",
        ),
        (
            "Municipality social services",
            "Selçuklu social market",
            ["social_assistance"],
            "Selçuklu",
            "Mon–Sat 09:00–17:00",
            ["Turkish"],
            "in_person",
        ),
    ],
    "Şanlıurfa": [
        (
            "Ministry of Health",
            "Haliliye migrant health centre",
            ["health_care", "mental_health"],
            "Haliliye",
            "Mon–Fri 08:00–17:00",
            ["Turkish", "Arabic", "Kurdish"],
            "in_system",
        ),
        (
            "UNICEF",
            "Eyyübiye child-friendly centre",
            ["child_protection", "education_enrolment"],
            "Eyyübiye",
            "Mon–Fri 09:00–17:00",
            ["Arabic", "Kurdish", "Turkish"],
            "letter",
        ),
    ],
}
FOCAL_POINT = ("moh_focal_point", "Ministry of Health")


@transaction.atomic
def seed(*, rng: random.Random, password: str) -> list[tuple[str, str, str]]:
    """Create the directory (idempotent) and the focal point; return its login."""
    partners = {p.name: p for p in Partner.objects.all()}
    for center in Center.objects.filter(city__in=POINTS):
        for partner_name, name, types, district, hours, languages, method in POINTS[center.city]:
            if partner_name not in partners:
                continue
            ServicePoint.objects.get_or_create(
                partner=partners[partner_name],
                name=name,
                defaults={
                    "center": center,
                    "service_types": types,
                    "city": center.city,
                    "district": district,
                    "opening_hours": hours,
                    "languages": languages,
                    "referral_method": method,
                    "contact": f"+90 {rng.randint(212, 488)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    "eligibility": "Everyone under temporary or international protection, and the host community.",
                },
            )
    username, partner_name = FOCAL_POINT
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": "Ayşe", "last_name": "Demir"}
    )
    if created:
        user.password = make_password(password)
        user.save(update_fields=["password"])
    PartnerFocalPoint.objects.get_or_create(user=user, defaults={"partner": partners[partner_name]})
    return [(username, str(Role.PARTNER_FOCAL_POINT.label), partner_name)]
