"""Fuzzing: generated input posted to every form finds no 500 and no half-saved change.

Each form page is fetched once as a user allowed to use it; hypothesis then posts 200 generated
submissions built from the form's own fields: valid choices mixed with junk (empty, huge, negative,
impossible dates, NUL bytes, formulas, scripts, other scripts, another centre's ids, random files).
A 500 fails the test (the test client re-raises it). A submission that is refused — the page comes
back, or a redirect with an error — must leave every table as it was.
"""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms.formsets import BaseFormSet
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import force_login_password_only
from tests.test_url_rules import CENTER_URLS, GLOBAL_ROLE_URLS, GLOBAL_URLS, _global_url, _url

# 70 forms and actions at 100 examples each: 7,000 posts, a third of the suite's time at 200.
EXAMPLES = 100

# Every centre page that shows a form, and the POST-only actions. test_every_form_is_fuzzed keeps
# this list honest: a new form page fails it until it is added here.
FORM_PAGES = [
    "beneficiaries:edit",
    "beneficiaries:import",
    "beneficiaries:import_columns",
    "beneficiaries:import_job",
    "beneficiaries:lookup",
    "beneficiaries:member_add",
    "beneficiaries:merge",
    "beneficiaries:register",
    "cases:close_request",
    "messaging:broadcast",
    "messaging:contact",
    "cases:follow_up_add",
    "cases:goal_add",
    "cases:note_add",
    "cases:psychologists_set",
    "cases:open",
    "cases:referral_add",
    "cases:referral_appointment",
    "cases:referral_decline",
    "cases:referral_outcome",
    "cases:directory",
    "cases:service_point_create",
    "cases:service_point_edit",
    "cases:service_points_import",
    "cases:transfer_request",
    "finance:costs",
    "finance:costs_import",
    "finance:cost_edit",
    "centers:room_create",
    "centers:room_edit",
    "reports:index",
    "services:activity_create",
    "services:activity_edit",
    "services:delivery_record",
    "services:desk_message_leave",
    "services:register",
    "services:session_add",
    "services:today",
    "listening:visit_create",
    "listening:visit_edit",
    "listening:visit_detail",
    "listening:interview_import",
    "listening:feedback_create",
    "listening:feedback_detail",
    "listening:needs_offer",
    "listening:feedback_list",
    "documents:upload",
    "documents:case_upload",
    "documents:photo",
]
# Pages whose form posts to another URL, fuzzed there.
FORMS_POSTED_ELSEWHERE = {"services:activity_detail": "services:enrol"}
POST_ACTIONS = sorted(name for name, rule in CENTER_URLS.items() if rule.method == "post")
# Fields the POST-only actions read (they have no form to read them from).
ACTION_FIELDS = ["action", "decision", "reason", "status", "number", "other", "note"]

JUNK = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "99999999999999999999",
    "2026-02-30",
    "1899-12-31",
    "9999-12",
    "2026-13",
    "=1+1",
    "+90 (532) 000",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "a\x00b",
    "محمد عبد الرحمن",
    "Ömer Şahin",
    "🙂" * 40,
    "x" * 5000,
    "true",
    "on",
    "None",
    "[]",
    "{}",
]


def _tables() -> list[str]:
    """Every table whose rows a refused submission must not change (not the audit trail or logins)."""
    from django.apps import apps

    skip = ("audit_auditevent", "axes_", "django_session", "otp_")
    names = [
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in {"centers", "beneficiaries", "services", "reports", "auth"}
    ]
    return sorted(n for n in set(names) if not n.startswith(skip))


def _counts(tables) -> tuple:
    # One statement for every table: cheap enough to run around each of thousands of posts.
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)  # noqa: S608 - model tables
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def _forms_in(context) -> list:
    found = {}
    contexts = [] if context is None else context if isinstance(context, list) else [context]
    for ctx in contexts:
        for value in ctx.flatten().values():
            if isinstance(value, forms.BaseForm | BaseFormSet):
                found[id(value)] = value
    return list(found.values())


def _field_strategy(field, other_ids):
    if isinstance(field, forms.FileField):
        return st.binary(max_size=3000).map(lambda b: SimpleUploadedFile("upload.csv", b))
    junk = st.sampled_from(JUNK + other_ids) | st.text(max_size=60) | st.integers(-(10**12), 10**12).map(str)
    choices = []
    if hasattr(field, "choices"):
        choices = [str(value) for value, _label in list(field.choices)[:30] if str(value) != ""]
    if choices:
        one = st.sampled_from(choices)
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            return st.lists(one | junk, max_size=4)
        return one | junk
    return junk


def _fields(page_forms, other_ids) -> dict:
    strategies, fixed = {}, {}
    for item in page_forms:
        if isinstance(item, BaseFormSet):
            management = item.management_form
            for name in management.fields:
                fixed[management.add_prefix(name)] = str(management[name].value() or 0)
            members = list(item.forms) or [item.empty_form]
            for form in members:
                for name, field in form.fields.items():
                    strategies[form.add_prefix(name)] = _field_strategy(field, other_ids)
            # The formset's own count, fuzzed too (a forged TOTAL_FORMS must not break anything).
            strategies[management.add_prefix("TOTAL_FORMS")] = st.sampled_from(
                ["0", "1", "3", "1000", "-1", "x"]
            )
        else:
            for name, field in item.fields.items():
                # Hidden tokens keep their value half the time, so valid submissions happen too.
                value = item[name].value()
                strategy = _field_strategy(field, other_ids)
                if isinstance(field.widget, forms.HiddenInput) and value not in (None, ""):
                    strategy = st.just(str(value)) | strategy
                strategies[item.add_prefix(name)] = strategy
    return strategies, fixed


# Forms outside the centres: (who posts, the page that shows the form if it is not the URL itself).
GLOBAL_FORMS = {
    "login": (None, None),
    "password_change": ("reception", None),
    "two_factor_setup": ("center_manager", None),
    "two_factor_verify": ("center_manager", None),
    "privacy:subject_anonymise": ("data_protection_officer", "privacy:subject_detail"),
    "planning:center_create": ("national_manager", None),
    "planning:scenario": ("national_manager", None),
    "partner:referral_decline": ("partner_focal_point", None),
    "partner:referral_outcome": ("partner_focal_point", None),
}


def _global_target(client, world, name):
    """Log in as GLOBAL_FORMS says; return the URL to post to and the forms of the page that shows it."""
    role, page = GLOBAL_FORMS[name]
    if role in ("data_protection_officer", "national_manager", "partner_focal_point"):
        client.force_login(world.user(None, role))
    elif role == "center_manager":
        manager = world.user("ANK", role)
        if name == "two_factor_verify":
            TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
        force_login_password_only(client, manager)  # the code step is what is fuzzed
    elif role:
        client.force_login(world.user("ANK", role))
    if name.startswith("partner:"):  # the world's ANK referral, sent to the focal point's organisation
        url = _global_url(world, name)
        return url, _forms_in(client.get(url).context)
    kwargs = {"pk": world.people["ANK"].pk} if name == "privacy:subject_anonymise" else {}
    url = reverse(name, kwargs=kwargs)
    shown = reverse(page, kwargs=kwargs) if page else url
    return url, _forms_in(client.get(shown).context)


def _role_for(name: str) -> str:
    allowed = CENTER_URLS[name].allowed
    return "center_manager" if "center_manager" in allowed else sorted(allowed)[0]


def _other_center_ids(world) -> list[str]:
    return [
        str(getattr(world, kind)["IST"].pk)
        for kind in ("people", "cases", "activities", "rooms", "households")
    ]


def test_every_form_is_fuzzed(client, world):
    """Every centre page that renders a form is in FORM_PAGES (and every one listed has a form)."""
    with_forms = set()
    for name, rule in CENTER_URLS.items():
        if rule.method != "get":
            continue
        client.force_login(world.user("ANK", _role_for(name)))
        response = client.get(_url(world, name, "ANK"))
        if _forms_in(response.context):
            with_forms.add(name)
    assert with_forms == set(FORM_PAGES) | set(FORMS_POSTED_ELSEWHERE)
    assert set(FORMS_POSTED_ELSEWHERE.values()) <= set(POST_ACTIONS)


def test_every_global_form_is_fuzzed():
    # The URLs outside the centres that take a POST of a form; the rest only read.
    assert set(GLOBAL_FORMS) <= set(GLOBAL_URLS) | set(GLOBAL_ROLE_URLS)
    assert {"login", "password_change", "two_factor_setup", "two_factor_verify"} <= set(GLOBAL_FORMS)


@pytest.mark.parametrize("name", FORM_PAGES + POST_ACTIONS + sorted(GLOBAL_FORMS))
def test_generated_input_never_500s_or_saves_half(client, world, name):
    other_ids = _other_center_ids(world)
    if name in GLOBAL_FORMS:
        url, page_forms = _global_target(client, world, name)
        strategies, fixed = _fields(page_forms, other_ids)
    elif CENTER_URLS[name].method == "get":
        client.force_login(world.user("ANK", _role_for(name)))
        url = _url(world, name, "ANK")
        strategies, fixed = _fields(_forms_in(client.get(url).context), other_ids)
    else:
        client.force_login(world.user("ANK", _role_for(name)))
        url = _url(world, name, "ANK")
        junk = st.sampled_from(JUNK + other_ids) | st.text(max_size=40)
        strategies, fixed = {field: junk for field in ACTION_FIELDS}, {}
    tables = _tables()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same examples on every run: CI never turns red by luck
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
        database=None,
    )
    @given(data=st.fixed_dictionaries({}, optional=strategies))
    def post(data):
        before = _counts(tables)
        response = client.post(url, {**fixed, **data})
        assert response.status_code < 500
        if response.status_code != 302 or _refused(response, client):
            assert _counts(tables) == before, f"a refused submission to {name} changed the database: {data!r}"

    post()


def _refused(response, client) -> bool:
    """A redirect that carries an error message refused the submission."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage

    cookie = client.cookies.get("messages")
    if cookie is None:
        return False
    storage = CookieStorage(response.wsgi_request)
    messages = storage._decode(cookie.value) or []
    return any(m.level >= constants.ERROR for m in messages)
