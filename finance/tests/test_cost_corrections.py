"""Costs a manager can correct: edited and removed with who and why, and a file imported twice adds nothing
(issue 15, item 4)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from finance.models import CostEntry, CostImport, FundingSource

CSV = "month,type,amount,currency,funding_source\n2026-10,rent,8000,TRY,Appeal\n2026-10,staff,20000,TRY,Appeal\n"


@pytest.fixture
def source(world):
    return FundingSource.objects.create(
        name="Appeal",
        donor="IFRC",
        currency="USD",
        amount=Decimal(1000),
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )


@pytest.fixture
def entry(world, source):
    return CostEntry.objects.create(
        center=world.centers["ANK"],
        month=dt.date(2026, 10, 1),
        type="rent",
        amount=8000,
        currency="TRY",
        funding_source=source,
    )


def url(name, **kwargs):
    return reverse(f"finance:{name}", kwargs={"center": "ANK", **kwargs})


def test_a_manager_corrects_a_cost_and_the_trail_says_who_and_why(client, world, entry, source):
    manager = world.user("ANK", "center_manager")
    client.force_login(manager)
    response = client.post(
        url("cost_edit", pk=entry.pk),
        {
            "month": "2026-10",
            "type": "rent",
            "amount": "8500",
            "currency": "TRY",
            "funding_source": source.pk,
            "reason": "The landlord's invoice says 8,500",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.amount == Decimal("8500")
    event = AuditEvent.objects.filter(object_type="finance.costentry", action="update").get()
    assert event.actor == manager
    assert event.detail == {"fields": ["amount"], "reason": "The landlord's invoice says 8,500"}


def test_a_correction_without_a_reason_is_refused(client, world, entry, source):
    client.force_login(world.user("ANK", "center_manager"))
    data = {"month": "2026-10", "type": "rent", "amount": "1", "currency": "TRY", "funding_source": source.pk}
    response = client.post(url("cost_edit", pk=entry.pk), data)
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    entry.refresh_from_db()
    assert entry.amount == Decimal("8000")


def test_a_manager_removes_a_cost_and_the_trail_keeps_what_it_was(client, world, entry):
    client.force_login(world.user("ANK", "center_manager"))
    assert client.post(url("cost_delete", pk=entry.pk), {"reason": "Entered twice"}).status_code == 302
    assert not CostEntry.objects.exists()
    event = AuditEvent.objects.get(object_type="finance.costentry", action="delete")
    assert event.detail["reason"] == "Entered twice" and event.detail["amount"] == "8000.00"


def test_removing_needs_a_reason(client, world, entry):
    client.force_login(world.user("ANK", "center_manager"))
    client.post(url("cost_delete", pk=entry.pk), {"reason": ""})
    assert CostEntry.objects.filter(pk=entry.pk).exists()


def test_another_centre_gets_404(world, entry, assert_other_center_gets_404):
    assert_other_center_gets_404(
        world.user("IST", "center_manager"), "finance:cost_edit", center="ANK", pk=entry.pk
    )
    assert_other_center_gets_404(
        world.user("IST", "center_manager"), "finance:cost_delete", center="ANK", pk=entry.pk
    )


def test_importing_the_same_file_twice_adds_nothing_and_says_so(
    client, world, source, celery_eager, django_capture_on_commit_callbacks
):
    client.force_login(world.user("ANK", "center_manager"))
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                url("costs_import"), {"file": SimpleUploadedFile("costs.csv", CSV.encode(), "text/csv")}
            )
    assert CostEntry.objects.count() == 2
    second = CostImport.objects.order_by("pk").last()
    assert second.status == CostImport.Status.REFUSED
    assert len(second.problems) == 2 and all("already recorded" in p for p in second.problems)
    first = CostImport.objects.order_by("pk").first()
    assert AuditEvent.objects.filter(object_type="finance.costimport", object_id=str(first.pk)).count() == 1


def test_every_wrong_row_is_listed(client, world, source, celery_eager, django_capture_on_commit_callbacks):
    client.force_login(world.user("ANK", "center_manager"))
    bad = "month,type,amount,currency,funding_source\n2026-13,rent,x,TRY,Nobody\n2026-10,rent,-5,TRY,Appeal\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("costs_import"), {"file": SimpleUploadedFile("costs.csv", bad.encode(), "text/csv")})
    job = CostImport.objects.get()
    assert [p.split(":")[0] for p in job.problems] == ["Row 2", "Row 3"]
    # Every problem of a row, not only the first.
    assert all(words in job.problems[0] for words in ("2026-10", "“x” is not an amount", "“Nobody”"))
