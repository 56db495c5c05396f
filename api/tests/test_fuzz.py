"""Generated JSON posted to the API's write endpoints: never a 500, and a refused call changes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Referral

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),  # the test client cannot encode the others
    st.text(max_size=600),
    st.sampled_from(["2026-11-20", "2099-01-01", "1900-02-30", "", "\x00", "=cmd|' /C calc'!A0", "<script>"]),
    st.lists(st.integers(), max_size=3),
)
BODIES = st.one_of(
    st.dictionaries(st.sampled_from(["reason", "given_on", "note", "status", "id"]), JUNK, max_size=4),
    st.lists(JUNK, max_size=3),
    JUNK,
)
FIELDS = ["status", "decline_reason", "service_given_on", "outcome_note", "answered_via"]


@pytest.mark.parametrize("action", ["accept", "decline", "outcome"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES)
def test_generated_bodies_never_500_or_half_save(world, sent, partner_api, action, body):
    _client, http = partner_api
    referral = sent["ANK"]
    before = Referral.objects.filter(pk=referral.pk).values(*FIELDS).get()
    response = http.post(f"/api/v1/referrals/{referral.pk}/{action}/", body, format="json")
    assert response.status_code < 500
    if response.status_code != 200:
        assert Referral.objects.filter(pk=referral.pk).values(*FIELDS).get() == before


@pytest.mark.parametrize(
    "raw", [b"NaN", b'{"reason": Infinity}', b"{", b"\xff\xfe", b'{"reason": "\\u0000"}']
)
def test_malformed_json_is_400(world, sent, partner_api, raw):
    _client, http = partner_api
    response = http.generic(
        "POST", f"/api/v1/referrals/{sent['ANK'].pk}/decline/", raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert Referral.objects.get(pk=sent["ANK"].pk).status == Referral.Status.SENT
