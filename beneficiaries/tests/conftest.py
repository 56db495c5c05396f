import uuid

import pytest
from django.urls import reverse

CONSENT_YES = {
    "consent-service_delivery": "yes",
    "consent-referral_data_sharing": "yes",
    "consent-photo": "no",
}


def person_post(prefix="person", **fields):
    data = {
        "first_name": "Mohammed",
        "last_name": "Hallak",
        "sex": "male",
        "birth_year": "1988",
        "nationality": "SY",
        "population_group": "temporary_protection",
    }
    data.update(fields)
    return {f"{prefix}-{k}": v for k, v in data.items()}


def member_post(index, **fields):
    data = {
        "first_name": "Child",
        "last_name": "Hallak",
        "sex": "female",
        "birth_year": "2015",
        "relationship_to_head": "child",
    }
    data.update(fields)
    return {f"members-{index}-{k}": v for k, v in data.items()}


def registration_post(*members, consent=None, token=None, **person):
    data = {
        "token": str(token or uuid.uuid4()),
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        **person_post(**person),
        **(CONSENT_YES if consent is None else consent),
    }
    for i, member in enumerate(members):
        data.update(member_post(i, **member))
    return data


@pytest.fixture
def register(client, world):
    """POST a registration as ANK reception; returns the response."""
    client.force_login(world.user("ANK", "reception"))
    url = reverse("beneficiaries:register", kwargs={"center": "ANK"})

    def post(*members, **kwargs):
        return client.post(url, registration_post(*members, **kwargs))

    return post
