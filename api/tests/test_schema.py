"""The OpenAPI schema validates, its documentation page works under the site's CSP, and every documented
endpoint answers a client that holds every scope."""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

from api.models import Scope
from api.tests.conftest import client_with_token

SCHEMA = "/api/v1/schema/?format=json"


def test_the_schema_validates(client, world):
    response = client.get(SCHEMA)
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_the_docs_page_needs_no_inline_script_or_style(client, world):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<style" not in page and " style=" not in page
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in attributes for attributes in scripts)
    for path in re.findall(r'(?:src|href)="/static/([^"]+)"', page):
        assert finders.find(path), path  # served by this site, from an installed package or static/
    assert "Content-Security-Policy" in response.headers
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def _example(name: str, ids: dict) -> str:
    return str(ids[name])


@pytest.mark.usefixtures("sent")
def test_every_documented_endpoint_answers(client, world, ministry):
    schema = client.get(SCHEMA).json()
    _api_client, http = client_with_token(name="Everything", scopes=list(Scope.values), partner=ministry)
    referral = world.referrals["ANK"].pk
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    bodies = {"decline": {"reason": "Full"}, "outcome": {"given_on": dt.date.today().isoformat()}}
    queries = {"/api/v1/reach/monthly/": f"?month={last_month}"}
    called = []
    # Accept before the outcome: the order of a referral's life.
    paths = sorted(schema["paths"], key=lambda p: ("outcome" in p, "decline" in p, p))
    for path, operations in paths and [(p, schema["paths"][p]) for p in paths]:
        url = path.replace("{id}", str(referral)) + queries.get(path, "")
        for method in operations:
            if method not in {"get", "post"}:
                continue
            action = path.rstrip("/").rsplit("/", 1)[-1]
            response = (
                getattr(http, method)(url, bodies.get(action, {}), format="json")
                if method == "post"
                else http.get(url)
            )
            called.append((method, path, response.status_code))
            assert response.status_code in (200, 409), (method, url, response.content[:300])
    assert {p for _m, p, _s in called} == set(schema["paths"])
    assert len(called) >= 8


def test_the_schema_is_generated_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
