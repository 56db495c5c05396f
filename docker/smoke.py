"""Smoke test of a running compose stack, as a person and an operator would use it.

Logs in as reception through the login form (CSRF as a browser sends it), registers a person through the
registration form (its hidden fields and submission token as served), finds the profile, then has the
stack's reports worker build a monthly report and waits for it. Run by .ci/stack against the stack's web
port; `docker-compose` commands reach the containers for what only an operator does (createcenter,
createstaff, queueing the build).
"""

import argparse
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from loadtest.forms import form  # noqa: E402 - the repository's root joins the path first


def compose(*args: str, env: dict | None = None, stdin: str | None = None) -> str:
    command = os.environ.get("COMPOSE", "docker-compose -f compose.yaml -f compose.ci.yaml").split()
    result = subprocess.run(  # noqa: S603 - our own compose command and arguments
        [*command, *args], capture_output=True, text=True, input=stdin, env={**os.environ, **(env or {})}
    )
    assert result.returncode == 0, f"{' '.join(args)}: {result.stdout}\n{result.stderr}"
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:58000")
    args = parser.parse_args()
    base = args.base
    password = "Smoke-" + secrets.token_urlsafe(16)

    step("the stack answers: liveness and readiness")
    assert requests.get(f"{base}/livez", timeout=10).json()["status"] == "ok"
    ready = requests.get(f"{base}/readyz", timeout=10).json()
    assert ready["status"] == "ok", ready

    step("an empty installation: a centre, then its staff")
    compose(
        "exec",
        "-T",
        "web",
        "python",
        "manage.py",
        "createcenter",
        "SMK",
        "--name",
        "Smoke Centre",
        "--city",
        "Konya",
    )
    compose(
        "exec",
        "-T",
        "-e",
        f"STAFF_PASSWORD={password}",
        "web",
        "python",
        "manage.py",
        "createstaff",
        "desk",
        "--center",
        "SMK",
        "--role",
        "reception",
    )

    step("reception logs in through the form")
    session = requests.Session()
    session.headers["Referer"] = base + "/"
    login = session.get(f"{base}/accounts/login/", timeout=10)
    fields = form(login.text, having="username")
    fields.update(username="desk", password=password)
    answer = session.post(f"{base}/accounts/login/", data=fields, timeout=10)
    assert answer.status_code == 200 and "/accounts/login/" not in answer.url, answer.url

    step("reception registers a person")
    page = session.get(f"{base}/c/SMK/people/register/", timeout=10)
    assert page.status_code == 200, page.status_code
    fields = form(page.text, having="person-first_name")
    fields.update(
        {
            "person-first_name": "Leyla",
            "person-last_name": "Smoketest",
            "person-sex": "female",
            "person-birth_year": "1991",
            "person-nationality": "SY",
            "person-population_group": "temporary_protection",
            "consent-service_delivery": "yes",
            "consent-referral_data_sharing": "no",
            "consent-photo": "no",
        }
    )
    saved = session.post(f"{base}/c/SMK/people/register/", data=fields, timeout=30, allow_redirects=False)
    errors = re.findall(r'class="(?:invalid-feedback|alert[^"]*)"[^>]*>(.*?)</', saved.text, re.S)
    assert saved.status_code == 302, f"registration answered {saved.status_code}: {errors} {sorted(fields)}"
    profile = session.get(base + saved.headers["Location"], timeout=10)
    assert "Smoketest" in profile.text and "SMK-" in profile.text, "the profile does not show the person"
    found = session.get(f"{base}/c/SMK/people/", params={"q": "smoketest"}, timeout=10)
    assert "Smoketest" in found.text, "search does not find the person"

    step("the reports worker builds a report")
    script = (
        "import datetime as dt, time\n"
        "from centers.models import Center\n"
        "from reports.services import report_request\n"
        "from reports.models import ReportRun\n"
        "today = dt.date.today(); start = today.replace(day=1)\n"
        "run = report_request(center=Center.objects.get(code='SMK'), start=start, end=today)\n"
        "for _ in range(240):\n"
        "    run.refresh_from_db()\n"
        "    if run.status in ('done', 'failed'): break\n"
        "    time.sleep(0.5)\n"
        "print('REPORT', run.status, run.error)\n"
    )
    out = compose("exec", "-T", "web", "python", "manage.py", "shell", stdin=script)
    assert "REPORT done" in out, out

    step("metrics: request counts and queue lengths")
    metrics = compose(
        "exec",
        "-T",
        "web",
        "python3",
        "-c",
        "import urllib.request; print(urllib.request.urlopen('" + base + "/metrics').read().decode())",
    )
    assert "django_http_requests_total_by_method_total" in metrics and "toplum_queue_length" in metrics
    assert 'toplum_task_runs_total{task="reports.tasks.build_report"}' in metrics, "no build counted"
    print("smoke: the stack logs in, registers, finds, builds a report through its worker, and is measured")
    return 0


def step(text: str) -> None:
    print(f"smoke: {text}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
