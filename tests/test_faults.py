"""Faults an operator meets, injected against real processes (issue 14, items 10–12).

gunicorn serves the test database with DEBUG=0 as in production. The database is made to vanish or to
drop every connection; two requests race with the same form token; sixteen staff register at once.
"""

import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection
from django.utils import timezone

from beneficiaries.models import Beneficiary
from beneficiaries.tests.conftest import registration_post
from conftest import require_in_ci
from tests.servers import collect_static, database_url_of_tests, gunicorn, production_env, session_cookie_for

GIVEN = [
    "Leyla",
    "Omar",
    "Zeynep",
    "Bilal",
    "Hevin",
    "Karim",
    "Nour",
    "Yusuf",
    "Samira",
    "Tarek",
    "Rojin",
    "Walid",
    "Dilan",
    "Hamza",
    "Rana",
    "Idris",
]
FAMILY = [
    "Haddad",
    "Kaya",
    "Yilmaz",
    "Nasser",
    "Aydin",
    "Rahimi",
    "Suleiman",
    "Demir",
    "Khoury",
    "Barzani",
    "Celik",
    "Mansour",
    "Ozturk",
    "Tahan",
    "Sabbagh",
    "Erdem",
]


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root


def test_health_answers_json_when_the_database_is_gone_even_with_a_session_cookie(static_root):
    env = production_env(database_url="postgres://toplum:x@127.0.0.1:1/gone", static_root=static_root)
    with gunicorn(env) as base:
        for cookies in ({}, {"sessionid": "a-session-of-someone"}):
            response = requests.get(base + "/healthz", cookies=cookies, timeout=10)
            assert response.status_code == 503
            assert response.headers["Content-Type"] == "application/json"
            assert response.json()["database"].startswith("error")
            assert response.json()["status"] == "error"


def _needs_postgres():
    if connection.vendor != "postgresql":
        require_in_ci("terminating database connections needs PostgreSQL (CI)")


@pytest.mark.django_db(transaction=True)
def test_the_first_request_after_the_database_drops_every_connection_succeeds(world, static_root):
    _needs_postgres()
    cookie = {"sessionid": session_cookie_for(world.user("ANK", "reception"))}
    env = production_env(database_url=database_url_of_tests(), static_root=static_root)
    with gunicorn(env, workers=2) as base:
        people = base + "/c/ANK/people/?q=Ahmad"
        for _ in range(4):  # both workers hold a connection
            assert requests.get(people, cookies=cookie, timeout=10).status_code == 200
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        for _ in range(4):
            response = requests.get(people, cookies=cookie, timeout=10)
            assert response.status_code == 200, response.text[:300]
            assert "Ankarali" in response.text
        assert requests.get(base + "/healthz", timeout=10).json()["database"] == "ok"


class Desk:
    """A receptionist's browser: a session, the CSRF cookie, the form's hidden fields."""

    def __init__(self, base, session_key):
        self.base, self.cookies = base, {"sessionid": session_key}

    def open_form(self) -> dict:
        response = requests.get(self.base + "/c/ANK/people/register/", cookies=self.cookies, timeout=30)
        assert response.status_code == 200
        self.cookies["csrftoken"] = response.cookies["csrftoken"]
        return {
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)[1],
            "token": re.search(r'name="token" value="([^"]+)"', response.text)[1],
        }

    def register(self, hidden: dict, **person) -> requests.Response:
        data = {**registration_post(**person), **hidden}
        return requests.post(
            self.base + "/c/ANK/people/register/",
            data=data,
            cookies=self.cookies,
            allow_redirects=False,
            timeout=60,
        )


@pytest.mark.django_db(transaction=True)
def test_a_double_click_shows_both_requests_the_one_person_created(world, static_root):
    _needs_postgres()
    env = production_env(database_url=database_url_of_tests(), static_root=static_root)
    with gunicorn(env, workers=2, threads=2) as base:
        desk = Desk(base, session_cookie_for(world.user("ANK", "reception")))
        for attempt in range(15):
            hidden = desk.open_form()
            barrier = threading.Barrier(2)

            def click(hidden=hidden, barrier=barrier, attempt=attempt):
                barrier.wait()
                return desk.register(hidden, first_name=GIVEN[attempt], last_name=FAMILY[attempt])

            with ThreadPoolExecutor(2) as pool:
                responses = list(pool.map(lambda _: click(), range(2)))
            person = Beneficiary.objects.get(submission_token=uuid.UUID(hidden["token"]))
            profile = f"/c/ANK/people/{person.pk}/"
            for response in responses:
                assert response.status_code == 302, response.text[:500]
                assert response.headers["Location"] == profile
    assert Beneficiary.objects.exclude(first_name="Ahmad").count() == 15


@pytest.mark.django_db(transaction=True)
def test_sixteen_staff_register_at_once_each_once_with_gap_free_numbers(world, static_root):
    _needs_postgres()
    env = production_env(database_url=database_url_of_tests(), static_root=static_root)
    with gunicorn(env, workers=3, threads=2) as base:
        desks = [Desk(base, session_cookie_for(world.user("ANK", "reception"))) for _ in range(16)]

        def register(i):
            hidden = desks[i].open_form()
            return desks[i].register(
                hidden, first_name=GIVEN[i], last_name=FAMILY[i], birth_year=str(1960 + 2 * i)
            )

        with ThreadPoolExecutor(16) as pool:
            responses = list(pool.map(register, range(16)))
    accepted = [r for r in responses if r.status_code == 302]
    assert len(accepted) == 16, [r.status_code for r in responses]
    people = Beneficiary.objects.exclude(first_name="Ahmad")
    assert sorted(people.values_list("first_name", flat=True)) == sorted(GIVEN)
    year = timezone.localdate().year
    assert sorted(people.values_list("registration_number", flat=True)) == [
        f"ANK-{year}-{n:06d}" for n in range(1, 17)
    ]
