"""The shared test world: two centres, a user of every role in each, rooms.

Tests ask for ``world`` and log in as ``world.user("ANK", "reception")``.
"""

import os
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from centers.models import NATIONAL_ROLES, Role
from centers.tests.factories import CenterFactory, MembershipFactory, RoomFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_in_ci(reason: str):
    """Skip locally when a service is missing, but fail in CI: CI never skips."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create dozens of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    centers: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    rooms: dict = field(default_factory=dict)

    def user(self, center_code: str | None, role: str):
        return self.users[(center_code, role)]


@pytest.fixture
def world(db):
    w = World()
    for code, city in (("ANK", "Ankara"), ("IST", "Istanbul")):
        center = CenterFactory(code=code, name=f"{city} Community Centre", city=city)
        w.centers[code] = center
        w.rooms[code] = RoomFactory(center=center, name=f"{city} classroom")
        for role in Role:
            if role in NATIONAL_ROLES:
                continue
            user = UserFactory(username=f"{code.lower()}_{role.value}")
            MembershipFactory(user=user, center=center, role=role)
            w.users[(code, role.value)] = user
    for role in NATIONAL_ROLES:
        user = UserFactory(username=role.value)
        MembershipFactory(user=user, center=None, role=role)
        w.users[(None, role.value)] = user
    return w


@pytest.fixture
def assert_other_center_gets_404(client):
    """One line per view: ``assert_other_center_gets_404(user, "app:name", center=..., pk=...)``.

    Logs in as ``user`` (a member of another centre) and checks GET and POST
    both answer 404, so the view leaks neither the page nor a form error.
    """

    def check(user, url_name, **kwargs):
        client.force_login(user)
        url = reverse(url_name, kwargs=kwargs)
        assert client.get(url).status_code == 404, f"GET {url} as {user}"
        assert client.post(url, {}).status_code == 404, f"POST {url} as {user}"

    return check
