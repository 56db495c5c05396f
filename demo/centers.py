"""Demo centres, rooms and staff: the network of the case study."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from centers.models import CENTER_ROLES, Center, Membership, Role, Room

CENTERS = [
    # code, name, city, opened_on, area_m2, floors, status
    ("ANK", "Ankara Community Centre", "Ankara", dt.date(2024, 11, 4), 500, 3, Center.Status.OPEN),
    ("IST", "Istanbul Community Centre", "Istanbul", dt.date(2025, 2, 3), 650, 3, Center.Status.OPEN),
    ("KON", "Konya Community Centre", "Konya", dt.date(2025, 4, 7), 420, 2, Center.Status.OPEN),
    ("SAN", "Şanlıurfa Community Centre", "Şanlıurfa", dt.date(2025, 6, 2), 480, 2, Center.Status.OPEN),
    ("KIL", "Kilis Community Centre", "Kilis", None, 400, 2, Center.Status.PLANNED),
]

# (name, floor, capacity, purpose): Ankara's three floors as the case study describes them.
ROOMS = [
    ("Reception and information desk", 0, 12, "Registration, orientation and referral"),
    ("Child-friendly space", 0, 20, "Children's programmes"),
    ("Seminar hall", 0, 40, "Seminars and community meetings"),
    ("Classroom 1", 1, 18, "Turkish language courses"),
    ("Classroom 2", 1, 18, "Turkish language courses"),
    ("Computer room", 1, 14, "Computer skills"),
    ("Tailoring workshop", 1, 12, "Vocational training: tailoring"),
    ("Hairdressing workshop", 2, 10, "Vocational training: hairdressing"),
    ("Counselling room 1", 2, 2, "Individual psychosocial support"),
    ("Counselling room 2", 2, 2, "Individual psychosocial support"),
    ("Group room", 2, 14, "PSS groups"),
    ("Case management office", 2, 4, "Case follow-up"),
]

FIRST_NAMES = [
    "Ayşe",
    "Mehmet",
    "Zeynep",
    "Mustafa",
    "Elif",
    "Ahmet",
    "Fatma",
    "Emre",
    "Selin",
    "Burak",
    "Hatice",
    "Can",
    "Leyla",
    "Omar",
    "Rania",
]
LAST_NAMES = [
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Aydın",
    "Öztürk",
    "Arslan",
    "Doğan",
    "Koç",
    "Kurt",
    "Aslan",
]


def _rooms_for(center: Center) -> list[tuple]:
    if center.floors >= 3:
        return ROOMS
    return [room for room in ROOMS if room[1] < center.floors]


@transaction.atomic
def seed(*, rng: random.Random, password: str) -> list[tuple[str, str, str]]:
    """Create centres, rooms and one user per role per open centre; return the logins."""
    User = get_user_model()
    logins = []
    hashed = make_password(password)  # hashed once: the hasher is slow on purpose

    def user_with_role(username, role, center):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": rng.choice(FIRST_NAMES), "last_name": rng.choice(LAST_NAMES)},
        )
        if created:
            user.password = hashed
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, center=center, role=role)
        logins.append((username, Role(role).label, center.code if center else "—"))

    for code, name, city, opened_on, area, floors, status in CENTERS:
        center, _ = Center.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "city": city,
                "opened_on": opened_on,
                "area_m2": area,
                "floors": floors,
                "status": status,
            },
        )
        for room_name, floor, capacity, purpose in _rooms_for(center):
            Room.objects.get_or_create(
                center=center,
                name=room_name,
                defaults={"floor": floor, "capacity": capacity, "purpose": purpose},
            )
        if status != Center.Status.OPEN:
            continue
        for role in Role:
            if role in CENTER_ROLES:
                user_with_role(f"{code.lower()}_{role.value}", role, center)

    user_with_role("national_manager", Role.NATIONAL_MANAGER, None)
    user_with_role("dpo", Role.DATA_PROTECTION_OFFICER, None)
    return logins
