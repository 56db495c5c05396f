"""Feedback: who reads it, answering and closing it, and what reports and subject rights do with it."""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from listening.models import Feedback
from listening.tests.helpers import OCT, interview, login, url
from privacy.services import person_anonymise, subject_data
from reports.services import report_tables

# ---------------------------------------------------------------- feedback


def feedback(world, center="ANK", **fields):
    data = {
        "kind": "complaint",
        "channel": "desk",
        "text": "The trainer shouted at my son.",
        "sensitive": True,
        "received_by": world.user(center, "reception"),
    }
    data.update(fields)
    return Feedback.objects.create(center=world.centers[center], **data)


@pytest.mark.parametrize(
    ("role", "sees"),
    [("center_manager", True), ("data_protection_officer", True), ("social_worker", False)],
)
def test_sensitive_feedback_is_seen_only_by_the_manager_and_the_dpo(client, world, role, sees):
    sensitive = feedback(world)
    login(client, world, role)
    listed = client.get(url("feedback_list"))
    assert (f"#{sensitive.pk}" in listed.text) is sees
    assert client.get(url("feedback_detail", pk=sensitive.pk)).status_code == (200 if sees else 404)
    assert f"#{world.feedback['ANK'].pk}" in listed.text  # ordinary feedback: everyone who reads feedback


def test_the_dpo_reads_feedback_but_cannot_answer_it(client, world):
    login(client, world, "data_protection_officer")
    item = world.feedback["ANK"]
    response = client.post(url("feedback_detail", pk=item.pk), {"status": "closed", "answer": "Done"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == "open"


def test_reception_records_sensitive_feedback_it_cannot_read_afterwards(client, world):
    login(client, world, "reception")
    data = {
        "token": str(uuid.uuid4()),
        "kind": "complaint",
        "channel": "phone",
        "received_on": "2026-11-20",
        "text": "A volunteer asked for money.",
        "sensitive": "on",
        "contact": "+90 532 000 00 00",
    }
    response = client.post(url("feedback_create"), data)
    client.post(url("feedback_create"), data)  # a double click
    saved = Feedback.objects.get(text="A volunteer asked for money.")
    assert response["Location"] == url("feedback_create")
    assert saved.sensitive and saved.received_by == world.user("ANK", "reception")


def test_anonymous_feedback_names_nobody(client, world):
    login(client, world, "reception")
    data = {
        "token": str(uuid.uuid4()),
        "kind": "suggestion",
        "channel": "box",
        "received_on": "2026-11-20",
        "text": "More Turkish classes",
        "anonymous": "on",
        "contact": "0532",
    }
    response = client.post(url("feedback_create"), data)
    assert "Anonymous feedback names nobody" in response.text
    assert not Feedback.objects.filter(text="More Turkish classes").exists()


def test_closing_needs_the_answer_and_stamps_the_date(client, world):
    login(client, world, "social_worker")
    item = world.feedback["ANK"]
    response = client.post(url("feedback_detail", pk=item.pk), {"status": "closed", "answer": " "})
    assert "Write the answer given before closing." in response.text
    client.post(
        url("feedback_detail", pk=item.pk), {"status": "closed", "answer": "Saturday hours from January."}
    )
    item.refresh_from_db()
    assert (item.status, item.closed_on, item.closed_by) == (
        "closed",
        timezone.localdate(),
        world.user("ANK", "social_worker"),
    )


def test_the_manager_flags_feedback_as_sensitive_after_the_fact_and_the_social_worker_loses_it(client, world):
    item = world.feedback["ANK"]
    login(client, world, "social_worker")
    client.post(
        url("feedback_detail", pk=item.pk), {"status": "in_progress", "answer": "", "sensitive": "on"}
    )
    item.refresh_from_db()
    assert not item.sensitive  # the social worker has no such field: the flag is not theirs to set
    login(client, world, "center_manager")
    client.post(
        url("feedback_detail", pk=item.pk), {"status": "in_progress", "answer": "", "sensitive": "on"}
    )
    item.refresh_from_db()
    assert item.sensitive and item.status == "in_progress"
    login(client, world, "social_worker")
    assert client.get(url("feedback_detail", pk=item.pk)).status_code == 404


def test_feedback_open_for_more_than_14_days_is_listed_first(client, world, django_assert_max_num_queries):
    today = timezone.localdate()
    old = feedback(world, sensitive=False, received_on=today - dt.timedelta(days=15))
    for i in range(20):
        feedback(world, sensitive=False, text=f"f{i}", received_on=today - dt.timedelta(days=i % 14))
    login(client, world, "social_worker")
    # 22 pieces of feedback: count, page, the waiting list, on top of the 10 every page costs.
    with django_assert_max_num_queries(13):
        response = client.get(url("feedback_list"))
    assert [f.pk for f in response.context["waiting"]] == [old.pk]
    assert "15 days" in response.text


def test_monthly_reports_count_feedback(world):
    world.feedback["ANK"].delete()
    feedback(world, received_on=dt.date(2026, 10, 2))  # open at the end of October, late
    feedback(world, received_on=dt.date(2026, 10, 25))  # open, not late
    feedback(
        world,
        kind="thanks",
        received_on=dt.date(2026, 9, 20),
        status="closed",
        answer="Thank you",
        closed_on=dt.date(2026, 10, 3),
    )
    feedback(world, center="IST", received_on=dt.date(2026, 10, 9))
    tables = report_tables(center=None, start=OCT[0], end=OCT[1])
    rows = {(r[0], r[1]): r[2:] for r in tables["Feedback"][1:]}
    assert rows[("ANK", "Complaint")] == [2, 0, 2, 1]
    assert rows[("ANK", "Thanks")] == [0, 1, 0, 0]
    assert rows[("All centres", "Complaint")] == [3, 0, 3, 2]


# ---------------------------------------------------------------- data protection


def test_subject_export_and_anonymisation_cover_interviews_and_feedback(world):
    person = world.people["ANK"]
    item = interview(world, ["health"], quote="My name is Ahmad and my back hurts")
    item.beneficiary = person
    item.save()
    said = feedback(world, sensitive=False, beneficiary=person, contact="0532 111 22 33")
    data = subject_data(person=person)
    assert [r["id"] for r in data["needs_interviews"]] == [item.pk]
    assert [r["id"] for r in data["feedback"]] == [said.pk]

    person_anonymise(person=person, reason="erasure_request")
    item.refresh_from_db()
    said.refresh_from_db()
    assert (item.quote, said.text, said.contact) == ("", "", "")
    assert [n.need for n in item.needs.all()] == ["health"]  # still counted


def test_the_feedback_form_preselects_no_blank_kind(client, world):
    login(client, world, "reception")
    page = client.get(url("feedback_create")).content.decode()
    kinds = re.findall(r'<input[^>]*name="kind"[^>]*>', page)
    assert len(kinds) == len(Feedback.Kind.choices)
    assert not any('value=""' in k or "checked" in k for k in kinds)
