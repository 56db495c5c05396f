"""Every write of personal data is audited, whatever path it takes (issue 14, item 6).

Model signals catch ordinary saves and deletes of every registered model; writes done in the database
(``update()``, bulk writes) record their own event. This walks every POST-only endpoint of the centre
pages with a state in which the action succeeds, and asserts it left an event; and it checks that every
model holding personal data is registered with the audit trail.
"""

import pytest
from django.apps import apps

from audit import recorder
from audit.models import AuditEvent
from beneficiaries.tests.factories import BeneficiaryFactory
from cases import services as case_services
from core import personal_data
from services.models import Enrollment
from tests.test_url_rules import CENTER_URLS, _url

POST_ACTIONS = sorted(name for name, rule in CENTER_URLS.items() if rule.method == "post")


def _enrol(world):
    return {"number": BeneficiaryFactory(center=world.centers["ANK"]).registration_number}


def _enrolled(world):
    Enrollment.objects.filter(pk=world.enrollments["ANK"].pk).update(status=Enrollment.Status.ENROLLED)
    return {}


def _close_requested(world):
    case_services.case_close_request(
        case=world.cases["ANK"], by=world.user("ANK", "social_worker"), reason="Done"
    )
    return {}


# name -> (role, prepare(world) -> POST data): a state in which the action is accepted.
ACCEPTED = {
    "beneficiaries:card_reissue": ("reception", lambda world: {}),
    "services:enrol": ("reception", _enrol),
    "services:enrollment_change": ("reception", _enrolled),  # extra: action=drop
    "services:desk_message_done": ("reception", lambda world: {}),
    "cases:goal_done": ("social_worker", lambda world: {}),
    "cases:referral_advance": ("social_worker", lambda world: {}),  # extra: action=send
    "cases:close_decide": ("center_manager", _close_requested),  # extra: decision=approve
    "cases:transfer_decide": ("center_manager", lambda world: {}),  # extra: decision=decline
    "listening:interview_remove": ("social_worker", lambda world: {}),
    "finance:cost_delete": ("center_manager", lambda world: {"reason": "Entered twice"}),
    "beneficiaries:merge_request_decide": ("center_manager", lambda world: {}),  # extra: decision=decline
    "documents:remove": ("reception", lambda world: world.documents and {}),  # stored before the count
}


def test_every_post_action_has_an_accepted_case_here():
    assert set(ACCEPTED) == set(POST_ACTIONS), "add the new POST endpoint to ACCEPTED"


@pytest.mark.parametrize("name", POST_ACTIONS)
def test_every_post_action_leaves_an_audit_event(client, world, name):
    role, prepare = ACCEPTED[name]
    data = prepare(world)
    client.force_login(world.user("ANK", role))
    before = AuditEvent.objects.exclude(action__in=["login", "export"]).count()
    response = client.post(_url(world, name, "ANK"), data)
    assert response.status_code == 302
    assert AuditEvent.objects.exclude(action__in=["login", "export"]).count() > before, name


def test_every_model_holding_personal_data_is_audited():
    audited = set(recorder.audited_models())
    # Kept by the trail itself, or written only together with an audited parent in the same action.
    not_separately = {
        "audit.AccessLog": "is itself a log",
        "beneficiaries.HistoricalBeneficiary": "the change history of an audited person",
        "beneficiaries.HistoricalHousehold": "the change history of an audited household",
        "listening.InterviewNeed": "written with its audited interview",
    }
    declared = {d.model.partition("#")[0] for d in personal_data.declarations()}
    for label in declared - set(not_separately):
        apps.get_model(label)
        assert label in audited, (
            f"{label} holds personal data: register it with audit.recorder in its apps.py"
        )
