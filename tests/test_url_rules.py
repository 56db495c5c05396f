"""Every URL has a rule: centre-scoped URLs are walked with every role of the
own centre and of another one, so no view can ship without scoping."""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from centers.models import Role

# A partner's focal point belongs to no centre (no membership): every centre URL answers it 404.
PARTNER_ROLES = {"partner_focal_point"}
CENTER_ROLES = {r.value for r in Role} - {"national_manager", "data_protection_officer"} - PARTNER_ROLES
EVERYONE = {r.value for r in Role}


FRONT_DESK = {"reception", "social_worker", "center_manager"}
READ_PEOPLE = FRONT_DESK | {"psychologist", "trainer"}
ENROL = FRONT_DESK | {"trainer"}
CHECK_IN = FRONT_DESK | {"trainer"}
SERVICES = FRONT_DESK | {"psychologist"}
MESSAGES = {"social_worker", "psychologist", "center_manager"}
VIEW_CASES = {"social_worker", "psychologist", "center_manager"}
MANAGE_CASES = {"social_worker", "center_manager"}
REPORTS = {"center_manager", "national_manager"}
NEEDS = {"social_worker", "psychologist", "trainer", "center_manager", "national_manager"}
OUTREACH = {"social_worker", "psychologist", "center_manager"}
RECORD_FEEDBACK = READ_PEOPLE
VIEW_FEEDBACK = {"social_worker", "center_manager", "data_protection_officer"}


@dataclass(frozen=True)
class Rule:
    # Roles that get `ok` in their own centre; every other role gets 403.
    allowed: set
    # URL kwarg -> attribute of World holding that kind of object per centre.
    objects: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # other URL kwargs
    method: str = "get"
    ok: int = 200
    # Roles of the centre for whom the object is out of scope (another trainer's register): 404.
    hidden: set = field(default_factory=set)


# One row per URL under /c/<center>/. A new centre view fails
# test_every_center_url_has_a_rule until it is added here.
CENTER_URLS = {
    "centers:dashboard": Rule(allowed=EVERYONE),
    "centers:about": Rule(allowed=EVERYONE),
    "centers:room_list": Rule(allowed=EVERYONE),
    "centers:room_detail": Rule(allowed=EVERYONE, objects={"pk": "rooms"}),
    "centers:room_create": Rule(allowed={"center_manager"}),
    "centers:room_edit": Rule(allowed={"center_manager"}, objects={"pk": "rooms"}),
    "centers:staff": Rule(allowed={"center_manager"}),
    "finance:costs": Rule(allowed={"center_manager"}),
    "finance:costs_import": Rule(allowed={"center_manager"}),
    "finance:cost_edit": Rule(allowed={"center_manager"}, objects={"pk": "costs"}),
    "finance:cost_delete": Rule(allowed={"center_manager"}, objects={"pk": "costs"}, method="post", ok=302),
    "finance:costs_import_job": Rule(allowed={"center_manager"}, objects={"pk": "cost_imports"}),
    "messaging:outbox": Rule(allowed={"center_manager"}),
    "api_center:deliveries": Rule(allowed={"center_manager"}),
    "messaging:broadcast": Rule(allowed={"center_manager"}),
    "messaging:preview": Rule(allowed={"center_manager"}),
    "messaging:contact": Rule(allowed=FRONT_DESK, objects={"pk": "people"}),
    "beneficiaries:search": Rule(allowed=READ_PEOPLE),
    "beneficiaries:lookup": Rule(allowed=READ_PEOPLE),
    "beneficiaries:register": Rule(allowed=FRONT_DESK),
    "beneficiaries:detail": Rule(allowed=READ_PEOPLE, objects={"pk": "people"}),
    "beneficiaries:edit": Rule(allowed=FRONT_DESK, objects={"pk": "people"}),
    "beneficiaries:card": Rule(allowed=FRONT_DESK, objects={"pk": "people"}),
    "beneficiaries:card_pdf": Rule(allowed=FRONT_DESK, objects={"pk": "people"}),
    "beneficiaries:card_reissue": Rule(allowed=FRONT_DESK, objects={"pk": "people"}, method="post", ok=302),
    "beneficiaries:merge": Rule(allowed={"center_manager"}, objects={"pk": "people"}),
    "beneficiaries:merge_requests": Rule(allowed={"center_manager"}),
    "beneficiaries:merge_request_decide": Rule(
        allowed={"center_manager"},
        objects={"pk": "merge_requests"},
        extra={"decision": "decline"},
        method="post",
        ok=302,
    ),
    "beneficiaries:member_add": Rule(allowed=FRONT_DESK, objects={"pk": "households"}),
    "beneficiaries:import": Rule(allowed={"center_manager"}),
    "beneficiaries:import_template": Rule(allowed={"center_manager"}),
    "beneficiaries:import_job": Rule(allowed={"center_manager"}, objects={"pk": "people_imports"}),
    "beneficiaries:import_columns": Rule(
        allowed={"center_manager"}, objects={"pk": "people_imports_mapping"}
    ),
    "services:today": Rule(allowed=READ_PEOPLE),
    "services:activity_list": Rule(allowed=READ_PEOPLE),
    "services:activity_detail": Rule(allowed=READ_PEOPLE, objects={"pk": "activities"}),
    "services:activity_create": Rule(allowed={"center_manager"}),
    "services:activity_edit": Rule(allowed={"center_manager"}, objects={"pk": "activities"}),
    "services:session_add": Rule(allowed={"center_manager"}, objects={"pk": "activities"}),
    "services:enrol": Rule(allowed=ENROL, objects={"pk": "activities"}, method="post", ok=302),
    "services:enrollment_change": Rule(
        allowed=ENROL, objects={"pk": "enrollments"}, extra={"action": "drop"}, method="post", ok=302
    ),
    "services:certificate": Rule(allowed=ENROL, objects={"pk": "enrollments"}),
    "services:register": Rule(
        allowed={"trainer", "center_manager"},
        objects={"pk": "sessions"},
        hidden={"social_worker", "psychologist"},
    ),
    "services:delivery_record": Rule(allowed=SERVICES, objects={"pk": "people"}),
    "services:desk_message_leave": Rule(allowed=MESSAGES, objects={"pk": "people"}),
    "services:desk_message_done": Rule(
        allowed=CHECK_IN, objects={"pk": "desk_messages"}, method="post", ok=302
    ),
    "listening:needs_offer": Rule(allowed=NEEDS),
    "listening:needs_offer_export": Rule(allowed=NEEDS, extra={"fmt": "xlsx"}),
    "listening:visit_list": Rule(allowed=OUTREACH),
    "listening:visit_create": Rule(allowed=OUTREACH),
    "listening:visit_detail": Rule(allowed=OUTREACH, objects={"pk": "visits"}),
    "listening:visit_edit": Rule(allowed=OUTREACH, objects={"pk": "visits"}),
    "listening:interview_remove": Rule(allowed=OUTREACH, objects={"pk": "interviews"}, method="post", ok=302),
    "listening:xlsform": Rule(allowed=OUTREACH),
    "listening:interview_import": Rule(allowed=OUTREACH),
    "listening:interview_import_job": Rule(allowed=OUTREACH, objects={"pk": "interview_imports"}),
    "listening:feedback_list": Rule(allowed=VIEW_FEEDBACK),
    "listening:feedback_create": Rule(allowed=RECORD_FEEDBACK),
    # The DPO reads feedback but may not answer it: 403 on POST (test_listening).
    "listening:feedback_detail": Rule(allowed=VIEW_FEEDBACK, objects={"pk": "feedback"}),
    "cases:caseload": Rule(allowed=VIEW_CASES),
    "cases:supervision": Rule(allowed=VIEW_CASES),
    "cases:partners": Rule(allowed=VIEW_CASES),
    "cases:directory": Rule(allowed=VIEW_CASES),
    "cases:service_point_create": Rule(allowed={"center_manager"}),
    "cases:service_points_import": Rule(allowed={"center_manager"}),
    "cases:service_point_edit": Rule(allowed={"center_manager"}, objects={"pk": "service_points"}),
    "planning:plan_actual": Rule(allowed=REPORTS),
    "reports:index": Rule(allowed=REPORTS),
    "reports:dashboard": Rule(allowed=REPORTS),
    "reports:run": Rule(allowed=REPORTS, objects={"pk": "report_runs"}),
    "reports:download": Rule(allowed=REPORTS, objects={"pk": "report_runs"}, extra={"fmt": "pdf"}),
    "cases:open": Rule(allowed=MANAGE_CASES, objects={"pk": "people"}),
    "cases:detail": Rule(allowed=VIEW_CASES, objects={"pk": "cases"}),
    "cases:follow_up_add": Rule(allowed=MANAGE_CASES, objects={"pk": "cases"}),
    "cases:goal_add": Rule(allowed=MANAGE_CASES, objects={"pk": "cases"}),
    "cases:goal_done": Rule(allowed=MANAGE_CASES, objects={"pk": "goals"}, method="post", ok=302),
    "cases:note_add": Rule(allowed={"psychologist"}, objects={"pk": "cases"}),
    # Only the case's caseworker (ANK's social worker in the world) or supervisor (its centre manager).
    "cases:psychologists_set": Rule(allowed={"social_worker", "center_manager"}, objects={"pk": "cases"}),
    "cases:referral_add": Rule(allowed=MANAGE_CASES, objects={"pk": "cases"}),
    "cases:referral_letter": Rule(allowed=MANAGE_CASES, objects={"pk": "referrals"}),
    "cases:referral_appointment": Rule(allowed=MANAGE_CASES, objects={"pk": "referrals"}),
    "cases:referral_decline": Rule(allowed=MANAGE_CASES, objects={"pk": "referrals"}),
    "cases:referral_outcome": Rule(allowed=MANAGE_CASES, objects={"pk": "referrals"}),
    "cases:referral_advance": Rule(
        allowed=MANAGE_CASES, objects={"pk": "referrals"}, extra={"action": "send"}, method="post", ok=302
    ),
    "cases:close_request": Rule(allowed=MANAGE_CASES, objects={"pk": "cases"}),
    "cases:close_decide": Rule(
        allowed=VIEW_CASES, objects={"pk": "cases"}, extra={"decision": "approve"}, method="post", ok=302
    ),
    "cases:transfer_request": Rule(allowed=MANAGE_CASES, objects={"pk": "cases"}),
    "cases:transfer_decide": Rule(
        allowed={"center_manager"},
        objects={"pk": "transfers"},
        extra={"decision": "decline"},
        method="post",
        ok=302,
    ),
    # Documents (world.documents: an identity document per centre, seen by whoever sees the person). The front
    # desk adds identity papers; the case staff (psychologists too) add medical letters and partners' replies.
    "documents:upload": Rule(allowed=FRONT_DESK | {"psychologist"}, objects={"pk": "people"}),
    "documents:photo": Rule(allowed=FRONT_DESK, objects={"pk": "people"}),
    "documents:case_upload": Rule(allowed=VIEW_CASES, objects={"pk": "cases"}),
    "documents:preview": Rule(allowed=READ_PEOPLE, objects={"pk": "documents"}),
    "documents:download": Rule(allowed=READ_PEOPLE, objects={"pk": "documents"}),
    # world.documents is a picture: it has no first page to draw, so those who may see it get 404, the others
    # 403; a PDF's page is drawn in documents/tests/test_first_page.py.
    "documents:first_page": Rule(allowed=READ_PEOPLE, objects={"pk": "documents"}, ok=404),
    "documents:remove": Rule(allowed=FRONT_DESK, objects={"pk": "documents"}, method="post", ok=302),
}


# URLs outside any centre, each with the reason it needs no centre rule.
@dataclass(frozen=True)
class GlobalRule:
    """A URL outside /c/<center>/ that only some national roles may use."""

    allowed: set
    kwargs: dict = field(default_factory=dict)  # "person" is replaced by an ANK person's id
    method: str = "get"
    ok: int = 200
    denied: int = 403  # 404 where the URL names a person: nothing is revealed about them


DPO = {"data_protection_officer"}
NATIONAL = {"national_manager"}
PARTNER = PARTNER_ROLES
# Walked with every role of ANK and both national roles, like CENTER_URLS.
GLOBAL_ROLE_URLS = {
    "privacy:audit_events": GlobalRule(allowed=DPO),
    "privacy:audit_export": GlobalRule(allowed=DPO),
    "privacy:access_log": GlobalRule(allowed=DPO),
    "privacy:subject_search": GlobalRule(allowed=DPO),
    "privacy:subject_detail": GlobalRule(allowed=DPO, kwargs={"pk": "person"}, denied=404),
    "privacy:subject_export": GlobalRule(allowed=DPO, kwargs={"pk": "person", "fmt": "json"}, denied=404),
    "privacy:subject_anonymise": GlobalRule(allowed=DPO, kwargs={"pk": "person"}, method="post", denied=404),
    "planning:centers": GlobalRule(allowed=NATIONAL),
    "planning:center_create": GlobalRule(allowed=NATIONAL),
    "planning:center_edit": GlobalRule(allowed=NATIONAL, kwargs={"code": "planned"}),
    "planning:center_open": GlobalRule(allowed=NATIONAL, kwargs={"code": "planned"}, method="post", ok=302),
    "planning:scenario": GlobalRule(allowed=NATIONAL),
    "planning:scenario_detail": GlobalRule(allowed=NATIONAL, kwargs={"pk": "planning:scenario"}),
    "planning:compare": GlobalRule(allowed=NATIONAL),
    "reports:national_dashboard": GlobalRule(allowed=NATIONAL),
    "reports:national_reports": GlobalRule(allowed=NATIONAL),
    "reports:national_report": GlobalRule(allowed=NATIONAL, kwargs={"pk": "reports:national_report"}),
    "reports:national_report_download": GlobalRule(
        allowed=NATIONAL, kwargs={"pk": "reports:national_report", "fmt": "xlsx"}
    ),
    # The focal point's pages: the world's ANK referral, sent to its organisation (other organisations:
    # cases/tests/test_partner_pages.py).
    "partner:referrals": GlobalRule(allowed=PARTNER),
    "partner:referral": GlobalRule(allowed=PARTNER, kwargs={"pk": "partner_referral"}),
    "partner:referral_accept": GlobalRule(
        allowed=PARTNER, kwargs={"pk": "partner_referral"}, method="post", ok=302
    ),
    "partner:referral_decline": GlobalRule(allowed=PARTNER, kwargs={"pk": "partner_referral"}),
    "partner:referral_outcome": GlobalRule(allowed=PARTNER, kwargs={"pk": "partner_referral"}),
}
# URLs every logged-in user (or anyone) may use, and why they need no rule.
GLOBAL_URLS = {
    "home": "lists only the user's own centres",
    "healthz": "states of database and broker, no data",
    "livez": "the process answers, no data",
    "readyz": "states of database and broker, no data",
    "metrics": "counts only; a bearer token or loopback (tests/test_observability.py)",
    "login": "public",
    "logout": "ends the user's own session",
    "password_change": "the user's own account",
    "password_change_done": "the user's own account",
    "two_factor_setup": "the user's own second factor (tested in centers/tests/test_security.py)",
    "two_factor_verify": "the user's own second factor (tested in centers/tests/test_security.py)",
    "two_factor_recovery_codes": "the user's own recovery codes, in a verified session only (tested in test_security)",
    "set_language": "a cookie",
    "messaging_hooks:twilio_status": "the provider's delivery receipts: signed, 403 unsigned (messaging/tests)",
    "messaging_hooks:twilio_inbound": "replies to messages (STOP): signed, 403 unsigned (messaging/tests)",
    # The REST API: no session, a client's token; its scopes (403) and organisation (404) in api/tests.
    "api:schema": "the API's description, no data (api/tests/test_schema.py)",
    "api:docs": "the API's documentation page, no data (api/tests/test_schema.py)",
    "api:referral-list": "token: referrals:read, the client's organisation only (api/tests/test_referrals.py)",
    "api:referral-detail": "token: referrals:read, 404 for another organisation's (api/tests/test_referrals.py)",
    "api:referral-accept": "token: referrals:write, 404 for another organisation's (api/tests/test_referrals.py)",
    "api:referral-decline": "token: referrals:write, 404 for another organisation's (api/tests/test_referrals.py)",
    "api:referral-outcome": "token: referrals:write, 404 for another organisation's (api/tests/test_referrals.py)",
    "api:reach-monthly": "token: reports:read, aggregates with small cells hidden (api/tests/test_aggregates.py)",
    "api:activities": "token: directory:read, the activity catalogue, no people (api/tests/test_aggregates.py)",
    "api:service-points": "token: directory:read, the service directory, no people (api/tests/test_aggregates.py)",
}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace, f"{namespace}{p.name}" if p.name else None


def _all_urls():
    # The Django admin is for superusers' reference data and has its own permission system.
    return [
        (route, name) for route, ns, name in _walk(get_resolver().url_patterns) if not ns.startswith("admin:")
    ]


def test_every_center_url_has_a_rule():
    center_routes = {name for route, name in _all_urls() if "<str:center>" in route}
    assert center_routes, "no centre-scoped URL found: did the /c/<center>/ prefix change?"
    assert center_routes == set(CENTER_URLS), "add each centre URL to CENTER_URLS with its rule"


def test_every_other_url_is_classified():
    others = {name for route, name in _all_urls() if "<str:center>" not in route}
    assert None not in others, "every URL needs a name"
    assert others == set(GLOBAL_URLS) | set(GLOBAL_ROLE_URLS), (
        "a URL outside /c/<center>/ must have a role rule here, or say why it needs none"
    )


def _global_url(world, name):
    kwargs = dict(GLOBAL_ROLE_URLS[name].kwargs)
    if kwargs.get("pk") == "person":
        kwargs["pk"] = world.people["ANK"].pk
    elif kwargs.get("pk") == "reports:national_report":
        kwargs["pk"] = world.report_runs["national"].pk
    elif kwargs.get("pk") == "partner_referral":
        from cases.services import referral_send

        referral = world.referrals["ANK"]
        referral.refresh_from_db()
        if referral.status == "draft":
            referral_send(referral=referral)
        kwargs["pk"] = referral.pk
    elif kwargs.get("pk") == "planning:scenario" or kwargs.get("code") == "planned":
        from planning.tests.factories import planned_center, scenario

        kwargs.update({"pk": scenario(world).pk} if "pk" in kwargs else {"code": planned_center().code})
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("name", sorted(GLOBAL_ROLE_URLS))
def test_global_role_matrix(client, world, name, role):
    rule = GLOBAL_ROLE_URLS[name]
    user = world.user("ANK", role) if role in CENTER_ROLES else world.user(None, role)
    client.force_login(user)
    url = _global_url(world, name)
    data = {} if rule.method == "get" else {"reason": "erasure_request", "confirm": "wrong"}
    expected = rule.ok if role in rule.allowed else rule.denied
    assert getattr(client, rule.method)(url, data).status_code == expected, f"{role} on {url}"


@pytest.mark.parametrize("name", sorted(GLOBAL_ROLE_URLS))
def test_anonymous_is_sent_to_login_outside_centres(client, world, name):
    response = client.get(_global_url(world, name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _url(world, name, center_code, object_center_code=None):
    rule = CENTER_URLS[name]
    kwargs = {"center": center_code, **rule.extra}
    for kwarg, attribute in rule.objects.items():
        kwargs[kwarg] = getattr(world, attribute)[object_center_code or center_code].pk
    return reverse(name, kwargs=kwargs)


def _users_of(world, role):
    """(own-centre user, other-centre user) for a role; national roles have no other centre."""
    if role in CENTER_ROLES:
        return world.user("ANK", role), world.user("IST", role)
    return world.user(None, role), None


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("name", sorted(CENTER_URLS))
def test_role_matrix(client, world, name, role):
    own_user, other_user = _users_of(world, role)
    url = _url(world, name, "ANK")

    rule = CENTER_URLS[name]
    client.force_login(own_user)
    if role in PARTNER_ROLES:
        expected = 404  # no membership anywhere: every centre is unknown to a focal point
    else:
        expected = rule.ok if role in rule.allowed else 404 if role in rule.hidden else 403
    assert getattr(client, rule.method)(url).status_code == expected, f"{role} of ANK on {url}"

    if other_user is not None:
        client.force_login(other_user)
        assert client.get(url).status_code == 404, f"{role} of IST on {url}"
        assert client.post(url, {}).status_code == 404, f"{role} of IST posting to {url}"


@pytest.mark.parametrize("name", sorted(n for n, r in CENTER_URLS.items() if r.objects))
def test_object_of_other_center_under_own_prefix_is_404(client, world, name):
    # An IST user allowed to use the view asks for an ANK object through the IST prefix.
    role = (
        "center_manager"
        if "center_manager" in CENTER_URLS[name].allowed
        else sorted(CENTER_URLS[name].allowed)[0]
    )
    client.force_login(world.user("IST", role))
    url = _url(world, name, "IST", object_center_code="ANK")
    assert getattr(client, CENTER_URLS[name].method)(url).status_code == 404


@pytest.mark.parametrize("name", sorted(CENTER_URLS))
def test_anonymous_is_sent_to_login(client, world, name):
    response = client.get(_url(world, name, "ANK"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_center_is_404_like_a_foreign_one(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    assert client.get(reverse("centers:dashboard", kwargs={"center": "NOPE"})).status_code == 404
