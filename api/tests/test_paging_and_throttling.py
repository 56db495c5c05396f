from rest_framework.settings import api_settings

from api.models import Scope
from api.tests.conftest import client_with_token
from cases import services as case_services
from cases.models import Referral


def _send_referrals(world, partner, n):
    made = []
    for i in range(n):
        referral = Referral.objects.create(
            case=world.cases["ANK"],
            partner=partner,
            reason=f"Referral {i}",
            shared_fields=["full_name"],
            created_by=world.user("ANK", "social_worker"),
        )
        made.append(case_services.referral_send(referral=referral))
    return made


def test_cursor_pages_neither_repeat_nor_skip_when_rows_arrive(world, ministry, partner_api):
    _client, http = partner_api
    made = _send_referrals(world, ministry, 5)
    first = http.get("/api/v1/referrals/?page_size=2").json()
    assert [r["id"] for r in first["results"]] == [made[4].pk, made[3].pk]
    assert first["previous"] is None
    # A new referral arrives between two pages: it is on no later page, and nothing moves.
    newer = _send_referrals(world, ministry, 1)[0]
    seen = [r["id"] for r in first["results"]]
    url = first["next"]
    while url:
        page = http.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert seen == [r.pk for r in reversed(made)]
    assert newer.pk not in seen
    assert "count" not in first  # a cursor does not count the whole table


def test_a_malformed_cursor_is_404(world, partner_api):
    _client, http = partner_api
    assert http.get("/api/v1/referrals/?cursor=o=abc").status_code == 404


def test_page_size_is_capped(world, ministry, partner_api):
    _client, http = partner_api
    _send_referrals(world, ministry, 3)
    assert len(http.get("/api/v1/referrals/?page_size=100000").json()["results"]) == 3


def test_a_client_over_its_rate_gets_429_and_others_do_not(world, settings, donor_api):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_client": "3/minute"},
    }
    assert api_settings.DEFAULT_THROTTLE_RATES == {"api_client": "3/minute"}
    _client, http = donor_api
    assert [http.get("/api/v1/activities/").status_code for _ in range(3)] == [200, 200, 200]
    refused = http.get("/api/v1/activities/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # The bucket is the client's, not the token's: a second token of the same client is refused too.
    _same, again = client_with_token(name="Donor", scopes=[Scope.DIRECTORY_READ])
    assert again.get("/api/v1/activities/").status_code == 429
    _other, other = client_with_token(name="Coordination", scopes=[Scope.DIRECTORY_READ])
    assert other.get("/api/v1/activities/").status_code == 200
