"""Staff journeys against a running Toplum (make loadtest): reception registers and searches, a trainer keeps
a register, a social worker writes a follow-up; everyone opens their day. Each visitor logs in through the
form and posts forms as served (CSRF and submission tokens included), so the server does the work it does for
a browser. LOADTEST_THINK seconds between steps (0: as fast as the server answers).

Accepted registrations are written to LOADTEST_NAMES so that `manage.py loadtest_check` can prove each one
was saved exactly once and registration numbers stayed gap-free.

The pages are measured once every visitor has logged in: sixteen log-ins in the same second are a morning
that does not happen (each is a deliberately slow password hash, ~0.5 s of CPU), and they would otherwise
set every page's p95, as would sixteen first clicks in the same second after them. The log-ins are timed on
their own and printed at the end, and with think time each visitor pauses before their first task.
"""

import datetime as dt
import json
import os
import random
import re
import statistics
import string
import threading
import time

from locust import HttpUser, between, constant, events, task

from loadtest.forms import form, links

CENTER = os.environ.get("LOADTEST_CENTER", "ANK")
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "toplum-demo-2026")
THINK = float(os.environ.get("LOADTEST_THINK", "3"))
NAMES_FILE = os.environ.get("LOADTEST_NAMES", "loadtest-registrations.json")
SEARCHES = ["ahm", "fat", "meh", "ali", "zey", "has", "mus", "ays", "omar", "khal", "yus", "emin"]
_accepted: list[str] = []
_logins: list[float] = []  # milliseconds each visitor's log-in (page and POST) took
_lock = threading.Lock()


def _think():
    return constant(0) if THINK <= 0 else between(THINK * 0.5, THINK * 1.5)


def _name() -> str:
    letters = string.ascii_lowercase
    return "".join(random.choice(letters) for _ in range(9)).capitalize()


class Staff(HttpUser):
    abstract = True
    wait_time = _think()
    role = ""

    def on_start(self):
        started = time.perf_counter()
        self.client.headers["Referer"] = self.host + "/"
        page = self.client.get("/accounts/login/", name="login GET")
        fields = form(page.text, having="username")
        fields.update(username=f"{CENTER.lower()}_{self.role}", password=PASSWORD)
        with self.client.post(
            "/accounts/login/", data=fields, name="login POST", catch_response=True
        ) as answer:
            if "/accounts/login/" in answer.url:
                answer.failure(f"login refused for {self.role}")
        with _lock:
            _logins.append((time.perf_counter() - started) * 1000)
            everyone = len(_logins) == self.environment.runner.target_user_count
        if everyone:
            self.environment.stats.reset_all()  # the measured window starts now
        if THINK > 0:
            # Each person starts their first task after a pause of their own, not all in the second the
            # slowest log-in ends (gevent's sleep: the other visitors go on meanwhile).
            time.sleep(random.uniform(0, THINK * 1.5))

    @task(1)
    def my_day(self):
        self.client.get(f"/c/{CENTER}/", name="my day")


class Reception(Staff):
    weight = 8
    role = "reception"

    @task(3)
    def register(self):
        url = f"/c/{CENTER}/people/register/"
        fields = form(self.client.get(url, name="register GET").text, having="person-first_name")
        first, last = _name(), _name()
        fields.update(
            {
                "person-first_name": first,
                "person-last_name": last,
                "person-sex": random.choice(["female", "male"]),
                "person-birth_year": str(random.randint(1950, 2020)),
                "person-nationality": "SY",
                "person-population_group": "temporary_protection",
                "consent-service_delivery": "yes",
                "consent-referral_data_sharing": "no",
                "consent-photo": "no",
            }
        )
        with self.client.post(
            url, data=fields, name="register POST", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code == 302:
                with _lock:
                    _accepted.append(f"{first} {last}")
            elif r.status_code == 200 and "possible" in r.text.lower():
                r.success()  # a duplicate warning: a person would decide; not an error of the server
            else:
                r.failure(f"registration answered {r.status_code}")

    @task(4)
    def search(self):
        self.client.get(f"/c/{CENTER}/people/", params={"q": random.choice(SEARCHES)}, name="search")


class Trainer(Staff):
    weight = 4
    role = "trainer"

    @task(3)
    def keep_register(self):
        today = self.client.get(f"/c/{CENTER}/today/", name="today")
        sessions = links(today.text, rf"^/c/{CENTER}/sessions/\d+/$")
        if not sessions:
            return
        url = random.choice(sessions)
        page = self.client.get(url, name="register of a session GET")
        try:
            fields = form(page.text, having="csrfmiddlewaretoken")
        except ValueError:
            return  # a session not open for marking (yet): the trainer only looks
        present = re.findall(r'name="present" value="(\d+)"', page.text)
        fields["present"] = random.sample(present, k=len(present) * 3 // 4) if present else []
        fields.pop("walk_ins", None)
        with self.client.post(url, data=fields, name="register of a session POST", catch_response=True) as r:
            if r.status_code >= 400:
                r.failure(f"register answered {r.status_code}")


class SocialWorker(Staff):
    weight = 4
    role = "social_worker"

    @task(3)
    def follow_up(self):
        caseload = self.client.get(f"/c/{CENTER}/cases/", name="caseload")
        cases = links(caseload.text, rf"^/c/{CENTER}/cases/\d+/$")
        if not cases:
            return
        url = random.choice(cases) + "follow-ups/new/"
        page = self.client.get(url, name="follow-up GET").text
        fields = form(page, having="summary")
        types = re.findall(
            r'<option value="([^"]+)"', page.split('name="type"', 1)[-1].split("</select>", 1)[0]
        )
        fields.update(
            date=fields.get("date") or dt.date.today().isoformat(),
            type=fields.get("type") or (random.choice(types) if types else ""),
            summary="Visited at home; the family asked about school enrolment.",
            actions_agreed="",
        )
        with self.client.post(
            url, data=fields, name="follow-up POST", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 302:
                r.failure(f"follow-up answered {r.status_code}")


@events.quitting.add_listener
def _write_names(environment, **kwargs):
    with open(NAMES_FILE, "w") as out:
        json.dump(_accepted, out)
    if _logins:
        print(
            f"log-in of {len(_logins)} staff at once, before the measured window: median "
            f"{statistics.median(_logins):.0f} ms, slowest {max(_logins):.0f} ms"
        )
