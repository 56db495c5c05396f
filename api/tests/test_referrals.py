"""Partner endpoints: the same rules as the partner focal point's pages, through cases' selectors and services."""

import datetime as dt

from django.utils import timezone

from api.models import ApiCall, Scope
from api.tests.conftest import client_with_token
from audit.models import AuditEvent
from beneficiaries.models import ConsentScope
from beneficiaries.services import consent_update
from cases.models import Referral


def test_a_partner_lists_only_referrals_sent_to_its_organisation(world, sent, partner_api, other_referral):
    _client, http = partner_api
    response = http.get("/api/v1/referrals/")
    assert response.status_code == 200
    ids = {r["id"] for r in response.json()["results"]}
    assert ids == {sent["ANK"].pk, sent["IST"].pk}
    ank = next(r for r in response.json()["results"] if r["id"] == sent["ANK"].pk)
    assert ank["center"] == "ANK"
    assert ank["status"] == "sent"
    assert set(ank["person"]) <= {"full_name", "phone"}  # the fields the referral shares, no more
    assert "Ahmad" in ank["person"]["full_name"]


def test_a_draft_is_not_shown(world, partner_api):
    _client, http = partner_api
    assert http.get("/api/v1/referrals/").json()["results"] == []
    assert http.get(f"/api/v1/referrals/{world.referrals['ANK'].pk}/").status_code == 404


def test_another_organisations_referral_is_404(world, sent, partner_api, other_referral):
    _client, http = partner_api
    for path in ("", "accept/", "decline/", "outcome/"):
        url = f"/api/v1/referrals/{other_referral.pk}/{path}"
        method = http.get if not path else http.post
        assert method(url, {"reason": "x", "given_on": "2026-01-01"}, format="json").status_code == 404, url
    other_referral.refresh_from_db()
    assert other_referral.status == Referral.Status.SENT


def test_a_token_without_the_scope_gets_403(world, sent, ministry):
    _client, reader = client_with_token(name="Reader", scopes=[Scope.REFERRALS_READ], partner=ministry)
    assert reader.get("/api/v1/referrals/").status_code == 200
    assert reader.post(f"/api/v1/referrals/{sent['ANK'].pk}/accept/").status_code == 403
    assert reader.get("/api/v1/reach/monthly/?month=2026-10").status_code == 403
    assert reader.get("/api/v1/activities/").status_code == 403
    sent["ANK"].refresh_from_db()
    assert sent["ANK"].status == Referral.Status.SENT


def test_a_donor_sees_no_referral(world, sent, donor_api):
    _client, http = donor_api
    assert http.get("/api/v1/referrals/").status_code == 403
    assert http.get(f"/api/v1/referrals/{sent['ANK'].pk}/").status_code == 403


def test_accept_then_record_the_outcome(world, sent, partner_api):
    client, http = partner_api
    url = f"/api/v1/referrals/{sent['ANK'].pk}/"
    response = http.post(url + "accept/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    today = timezone.localdate()
    response = http.post(
        url + "outcome/", {"given_on": today.isoformat(), "note": "Vaccinated"}, format="json"
    )
    assert response.status_code == 200, response.content
    referral = Referral.objects.get(pk=sent["ANK"].pk)
    assert referral.status == Referral.Status.COMPLETED
    assert referral.service_given_on == today
    assert referral.outcome_note == "Vaccinated"
    assert referral.answered_via == Referral.AnsweredVia.API
    # Who answered is in the audit trail: the client's system, named.
    events = AuditEvent.objects.filter(
        object_type="cases.referral", object_id=str(referral.pk), username__startswith="api:"
    )
    assert [e.detail["action"] for e in events.order_by("id")] == ["accept", "outcome"]
    assert all(e.detail["api_client"] == client.pk for e in events)


def test_decline_needs_a_reason(world, sent, partner_api):
    _client, http = partner_api
    url = f"/api/v1/referrals/{sent['ANK'].pk}/decline/"
    assert http.post(url, {}, format="json").status_code == 400
    assert http.post(url, {"reason": "  "}, format="json").status_code == 400
    response = http.post(url, {"reason": "No places until March"}, format="json")
    assert response.status_code == 200
    assert response.json()["decline_reason"] == "No places until March"
    # Answered already: the state does not allow it again.
    assert http.post(url, {"reason": "Again"}, format="json").status_code == 409
    assert http.post(f"/api/v1/referrals/{sent['ANK'].pk}/accept/").status_code == 409


def test_an_outcome_in_the_future_is_refused(world, sent, partner_api):
    _client, http = partner_api
    url = f"/api/v1/referrals/{sent['ANK'].pk}/"
    http.post(url + "accept/")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert http.post(url + "outcome/", {"given_on": tomorrow.isoformat()}, format="json").status_code == 400
    assert http.post(url + "outcome/", {"given_on": "not a date"}, format="json").status_code == 400
    assert Referral.objects.get(pk=sent["ANK"].pk).status == Referral.Status.ACCEPTED


def test_withdrawn_consent_hides_the_person_at_once(world, sent, partner_api):
    _client, http = partner_api
    url = f"/api/v1/referrals/{sent['ANK'].pk}/"
    before = http.get(url).json()
    assert before["person"] and before["reason"]
    consent_update(
        person=world.people["ANK"],
        answers={ConsentScope.REFERRAL_DATA_SHARING: False},
        by=world.user("ANK", "social_worker"),
    )
    # The referral is gone for the partner, as on the focal point's pages: nothing of the person remains.
    assert http.get(url).status_code == 404
    assert [r["id"] for r in http.get("/api/v1/referrals/").json()["results"]] == [sent["IST"].pk]
    # Nothing is answered on what can no longer be shared.
    assert http.post(url + "accept/").status_code == 404
    assert Referral.objects.get(pk=sent["ANK"].pk).status == Referral.Status.SENT
    # And the audit of the list says which referrals, hence people, it returned.
    assert ApiCall.objects.filter(endpoint="api:referral-list").last().referral_ids == [sent["IST"].pk]


def test_every_call_is_recorded(world, sent, partner_api, other_referral):
    client, http = partner_api
    http.get("/api/v1/referrals/")
    http.get(f"/api/v1/referrals/{other_referral.pk}/")
    http.get(f"/api/v1/referrals/{sent['ANK'].pk}/")
    calls = list(ApiCall.objects.filter(client=client).order_by("id"))
    assert [(c.endpoint, c.status_code, c.records) for c in calls] == [
        ("api:referral-list", 200, 2),
        ("api:referral-detail", 404, 0),
        ("api:referral-detail", 200, 1),
    ]
    assert calls[0].referral_ids == sorted([sent["ANK"].pk, sent["IST"].pk])
    assert calls[1].referral_ids == []
    assert calls[2].path == f"/api/v1/referrals/{sent['ANK'].pk}/"


def test_the_list_has_a_query_budget(world, sent, partner_api, django_assert_max_num_queries):
    _client, http = partner_api
    http.get("/api/v1/referrals/")  # warm up: last_used_at is written once
    with django_assert_max_num_queries(4):
        # 1 the token and its client; 2 the page of referrals with case, person and centre; 3 the people's
        # consents, prefetched for the whole page (not one per referral); 4 the ApiCall row
        assert http.get("/api/v1/referrals/").status_code == 200
