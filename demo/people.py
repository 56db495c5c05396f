"""Demo people and households: Syrian, Iraqi and Afghan families and host-community neighbours."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from stdnum.tr import tckimlik

from beneficiaries.models import Beneficiary, Consent, ConsentScope, Household, RegistrationCounter
from centers.models import Center, Role

# (Latin, original script)
ARABIC_MALE = [
    ("Mohammed", "محمد"),
    ("Ahmad", "أحمد"),
    ("Hussein", "حسين"),
    ("Abdulrahman", "عبد الرحمن"),
    ("Khaled", "خالد"),
    ("Omar", "عمر"),
    ("Yusuf", "يوسف"),
    ("Ali", "علي"),
    ("Mahmoud", "محمود"),
    ("Ibrahim", "إبراهيم"),
    ("Mustafa", "مصطفى"),
    ("Hassan", "حسن"),
    ("Bilal", "بلال"),
    ("Samir", "سمير"),
    ("Karim", "كريم"),
]
ARABIC_FEMALE = [
    ("Fatima", "فاطمة"),
    ("Amina", "آمنة"),
    ("Mariam", "مريم"),
    ("Zainab", "زينب"),
    ("Aisha", "عائشة"),
    ("Nour", "نور"),
    ("Huda", "هدى"),
    ("Rania", "رانيا"),
    ("Layla", "ليلى"),
    ("Salma", "سلمى"),
    ("Hala", "هالة"),
    ("Rasha", "رشا"),
]
ARABIC_FAMILY = [
    ("Al-Hallak", "الحلاق"),
    ("Kassab", "قصاب"),
    ("Al-Ahmad", "الأحمد"),
    ("Haddad", "حداد"),
    ("Al-Khatib", "الخطيب"),
    ("Darwish", "درويش"),
    ("Al-Hamwi", "الحموي"),
    ("Najjar", "نجار"),
    ("Al-Halabi", "الحلبي"),
    ("Sabbagh", "صباغ"),
    ("Al-Masri", "المصري"),
    ("Shami", "شامي"),
    ("Al-Omar", "العمر"),
    ("Bakkour", "بكور"),
]
PERSIAN_MALE = [
    ("Ahmad", "احمد"),
    ("Mohammad", "محمد"),
    ("Reza", "رضا"),
    ("Ali", "علی"),
    ("Hamid", "حمید"),
    ("Javad", "جواد"),
]
PERSIAN_FEMALE = [
    ("Zahra", "زهرا"),
    ("Maryam", "مریم"),
    ("Fatemeh", "فاطمه"),
    ("Parisa", "پریسا"),
    ("Shirin", "شیرین"),
]
PERSIAN_FAMILY = [
    ("Ahmadi", "احمدی"),
    ("Hosseini", "حسینی"),
    ("Rezaei", "رضایی"),
    ("Mohammadi", "محمدی"),
    ("Karimi", "کریمی"),
]
TURKISH_MALE = ["Mehmet", "Mustafa", "Ahmet", "Hüseyin", "Emre", "Murat", "Osman"]
TURKISH_FEMALE = ["Ayşe", "Fatma", "Emine", "Zeynep", "Elif", "Hatice", "Merve"]
TURKISH_FAMILY = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın", "Öztürk", "Arslan"]

DISTRICTS = {
    "ANK": ["Altındağ", "Keçiören", "Mamak", "Yenimahalle"],
    "IST": ["Fatih", "Esenyurt", "Sultanbeyli", "Küçükçekmece"],
    "KON": ["Karatay", "Meram", "Selçuklu"],
    "SAN": ["Haliliye", "Eyyübiye", "Karaköprü"],
}
SHARE = {"ANK": 1.0, "IST": 0.8, "KON": 0.5, "SAN": 0.7}  # people per centre, as a share of --beneficiaries


def _profile(rng: random.Random):
    """Nationality, population group and name pools of one household."""
    roll = rng.random()
    if roll < 0.70:
        return "SY", "temporary_protection", ARABIC_MALE, ARABIC_FEMALE, ARABIC_FAMILY
    if roll < 0.78:
        return (
            "IQ",
            rng.choice(["international_protection", "residence_permit"]),
            ARABIC_MALE,
            ARABIC_FEMALE,
            ARABIC_FAMILY,
        )
    if roll < 0.88:
        return (
            "AF",
            rng.choice(["international_protection", "other_migrant"]),
            PERSIAN_MALE,
            PERSIAN_FEMALE,
            PERSIAN_FAMILY,
        )
    turkish = (
        [(n, "") for n in TURKISH_MALE],
        [(n, "") for n in TURKISH_FEMALE],
        [(n, "") for n in TURKISH_FAMILY],
    )
    return "TR", "host_community", *turkish


def _document(rng: random.Random, nationality: str) -> tuple[str, str]:
    body = ("99" if nationality != "TR" else str(rng.randint(1, 8))) + "".join(
        str(rng.randint(0, 9)) for _ in range(7)
    )
    return ("foreigner_id" if nationality != "TR" else "turkish_id"), body + tckimlik.calc_check_digits(body)


def _household_people(rng, *, center, staff, registered_at, household):
    nationality, group, males, females, families = _profile(rng)
    family_latin, family_original = rng.choice(families)
    district = rng.choice(DISTRICTS.get(center.code, ["Merkez"]))
    size = rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[10, 10, 18, 24, 20, 12, 6])[0]
    today = registered_at.date()
    people = []
    for index in range(size):
        if index == 0:
            relationship, sex, age = "head", rng.choice(["male", "female"]), rng.randint(22, 65)
        elif index == 1 and size > 2:
            relationship, sex, age = (
                "spouse",
                "female" if people[0].sex == "male" else "male",
                rng.randint(20, 60),
            )
        else:
            relationship, sex, age = "child", rng.choice(["male", "female"]), rng.randint(0, 17)
        first_latin, first_original = rng.choice(males if sex == "male" else females)
        exact = rng.random() < 0.6
        dob = today - dt.timedelta(days=age * 365 + rng.randint(0, 364)) if exact else None
        document_type, document_number = (
            _document(rng, nationality) if age >= 18 or rng.random() < 0.5 else ("", "")
        )
        person = Beneficiary(
            center=center,
            registered_center=center,
            household=household,
            relationship_to_head=relationship if household else "",
            first_name=first_latin,
            first_name_original=first_original,
            last_name=family_latin,
            last_name_original=family_original,
            father_name=rng.choice(males)[0] if index == 0 else people[0].first_name,
            sex=sex,
            date_of_birth=dob,
            birth_year=(dob.year if dob else today.year - age),
            birth_year_estimated=not exact,
            nationality=nationality,
            population_group=group,
            district=district,
            phone=f"+90532{rng.randint(1000000, 9999999)}" if index == 0 else "",
            languages=["tr"]
            if nationality == "TR"
            else (["fa"] if nationality == "AF" else ["ar"]) + (["tr"] if rng.random() < 0.3 else []),
            needs_interpreter=nationality != "TR" and rng.random() < 0.4,
            document_type=document_type,
            document_number=document_number,
            vulnerabilities=rng.sample(
                ["disability", "chronic_illness", "single_parent", "older_person_alone", "no_documents"],
                k=rng.choice([0, 0, 0, 1, 1, 2]),
            ),
            registered_at=registered_at,
            registered_by=staff,
        )
        person.refresh_name_keys()
        people.append(person)
    return people


@transaction.atomic
def seed(*, rng: random.Random, beneficiaries: int) -> dict[str, int]:
    """Register people in every open centre, mostly in its first months. Idempotent per centre."""
    created = {}
    for center in Center.objects.filter(status=Center.Status.OPEN, opened_on__isnull=False):
        if center.beneficiaries.exists():
            continue
        staff = center.memberships.filter(role=Role.RECEPTION).select_related("user").first()
        if staff is None:
            continue
        target = int(beneficiaries * SHARE.get(center.code, 0.5))
        # The first month is the rush (900 in Ankara's); the rest trickle in over a year.
        people, households = [], []
        while len(people) < target:
            first_month = len(people) < target * 0.6
            days = rng.randint(0, 29) if first_month else rng.randint(30, 365)
            when = timezone.make_aware(
                dt.datetime.combine(
                    center.opened_on + dt.timedelta(days=days),
                    dt.time(rng.randint(9, 17), rng.randint(0, 59)),
                )
            )
            if when > timezone.now():
                continue
            household = Household(center=center, created_by=staff.user) if rng.random() < 0.8 else None
            members = _household_people(
                rng, center=center, staff=staff.user, registered_at=when, household=household
            )
            if household is not None:
                household.district = members[0].district
                households.append(household)
            people.extend(members)
        Household.objects.bulk_create(households)
        for person in people:
            person.household_id = person.household.pk if person.household else None
        people.sort(key=lambda p: p.registered_at)
        counters: dict[int, int] = {}
        for person in people:
            year = person.registered_at.year
            counters[year] = counters.get(year, 0) + 1
            person.registration_number = f"{center.code}-{year}-{counters[year]:06d}"
        bulk_create_with_history(people, Beneficiary, batch_size=500, default_user=staff.user)
        RegistrationCounter.objects.bulk_create(
            [RegistrationCounter(center=center, year=y, last=n) for y, n in counters.items()]
        )
        saved = Beneficiary.objects.filter(center=center).values_list("pk", flat=True)
        Consent.objects.bulk_create(
            [
                Consent(
                    beneficiary_id=pk,
                    scope=scope,
                    given=scope != ConsentScope.PHOTO or rng.random() < 0.3,
                    recorded_by=staff.user,
                    given_by_head=False,
                )
                for pk in saved
                for scope in ConsentScope.values
            ],
            batch_size=2000,
        )
        created[center.code] = len(people)
    return created
