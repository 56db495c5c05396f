"""Fuzzing what reaches a view without a form: query strings and addresses (issue 14, item 7).

Every GET page is asked with generated query strings (the parameters the pages read, and junk: NUL
bytes, huge numbers, other scripts, formulas); none may answer a 500. A NUL byte anywhere in the
address answers 400.
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_fuzz_forms import JUNK
from tests.test_url_rules import CENTER_URLS, GLOBAL_ROLE_URLS, _global_url, _url

# The parameters list pages, searches and filters read.
PARAMS = [
    "q",
    "page",
    "number",
    "user",
    "action",
    "center",
    "start",
    "end",
    "status",
    "kind",
    "month",
    "scope",
]


@pytest.mark.parametrize(
    "address",
    [
        "/c/ANK/people/?q=a%00b",
        "/c/ANK/people/lookup/?number=ANK%00",
        "/audit/people/?number=ANK-2026%00",
        "/audit/?user=x%00y",
        "/audit/export.csv?user=%00",
        "/audit/access/?number=%00",
        "/c/IST%00/",
        "/c/ANK/people/?q%00=x",
    ],
)
def test_a_nul_byte_in_the_address_is_a_400(client, world, address):
    client.force_login(
        world.user(None, "data_protection_officer")
        if address.startswith("/audit")
        else world.user("ANK", "center_manager")
    )
    response = client.get(address)
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def _get_pages(world):
    pages = []
    for name, rule in CENTER_URLS.items():
        if rule.method == "get" and rule.ok == 200:
            role = "center_manager" if "center_manager" in rule.allowed else sorted(rule.allowed)[0]
            pages.append((world.user("ANK", role), _url(world, name, "ANK")))
    for name, rule in GLOBAL_ROLE_URLS.items():
        if rule.method == "get":
            pages.append((world.user(None, sorted(rule.allowed)[0]), _global_url(world, name)))
    return pages


def test_generated_query_strings_never_500(client, world):
    pages = _get_pages(world)
    assert len(pages) > 40
    values = st.sampled_from(JUNK) | st.text(max_size=30)

    @settings(
        max_examples=300,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(
        page=st.sampled_from(range(len(pages))),
        query=st.dictionaries(st.sampled_from(PARAMS) | st.text(max_size=8), values, max_size=4),
    )
    def ask(page, query):
        user, url = pages[page]
        client.force_login(user)
        response = client.get(url, query)  # the test client re-raises a 500
        assert response.status_code in {200, 302, 400, 404}, (url, query, response.status_code)

    ask()


def test_the_home_page_answers_after_a_refused_address(client, world):
    client.force_login(world.user("ANK", "reception"))
    assert client.get("/c/ANK/people/?q=%00").status_code == 400
    assert (
        client.get(reverse("beneficiaries:search", kwargs={"center": "ANK"}), {"q": "Ahmad"}).status_code
        == 200
    )
