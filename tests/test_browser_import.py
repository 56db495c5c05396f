"""A centre manager imports a list of 30 people, three of them already registered and written in Arabic
script, decides on each in the dry run, imports, and finds the people (issue 20)."""

import csv
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from beneficiaries.models import Beneficiary
from beneficiaries.tests.factories import BeneficiaryFactory
from conftest import assert_accessible
from tests.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = ["group_person/given_name", "group_person/family_name", "given_name_ar", "family_name_ar", "sex",
          "birth_year", "nationality", "population_group", "household", "relationship"]  # fmt: skip
# Registered by hand in Latin script; the file has them in Arabic script, born two years apart: a decision.
KNOWN = [("Mohammed", "Al-Masri", "محمد", "المصري", 1980), ("Fatima", "Haddad", "فاطمة", "حداد", 1985),
         ("Omar", "Khatib", "عمر", "الخطيب", 1990)]  # fmt: skip
# As a Turkish desk spelt them in the Latin columns of the export.
TYPED = {"Mohammed": "Mehmet", "Fatima": "Fatma", "Omar": "Ömer"}
FIRST = ["Bilal", "Samir", "Karim", "Tarek", "Walid", "Nabil", "Jamal", "Rami", "Fadi", "Hamza", "Anas",
         "Majd", "Reza", "Javad", "Hamid", "Murat", "Emre", "Osman", "Ali", "Ibrahim", "Mustafa", "Hassan",
         "Yusuf", "Ahmad", "Khaled", "Hussein", "Mahmoud"]  # fmt: skip


FAMILIES = ["Demirci", "Yildiz", "Toprak", "Korkmaz", "Celik", "Sahin", "Ozturk", "Kurt", "Dogan"]


@pytest.fixture
def import_worker(request):
    """With a broker (CI), a real Celery worker runs the dry run and the import; without one, in-process.
    The upload is kept where the worker reads its files."""
    if settings.REDIS_URL:
        worker = request.getfixturevalue("celery_worker_process")
        request.getfixturevalue("settings").MEDIA_ROOT = worker.media_root
        return worker
    return None


def _file(tmp_path):
    path = tmp_path / "kobo-export.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for latin, _family, arabic, arabic_family, year in KNOWN:
            sex = "female" if latin == "Fatima" else "male"
            writer.writerow(
                [TYPED[latin], "", arabic, arabic_family, sex, year + 2, "SY", "temporary_protection", "", ""]
            )
        for i, first in enumerate(FIRST):
            household = f"H{i // 3}" if i < 9 else ""
            relationship = ("head" if i % 3 == 0 else "child") if household else ""
            writer.writerow(
                [
                    first,
                    FAMILIES[i // 3],
                    "",
                    "",
                    "male",
                    1960 + i,
                    "SY",
                    "temporary_protection",
                    household,
                    relationship,
                ]
            )
    return path


def test_centre_manager_imports_people_resolves_duplicates_and_finds_them(
    page, world, import_worker, tmp_path
):
    known = {}
    for latin, family, _arabic, _arabic_family, year in KNOWN:
        sex = "female" if latin == "Fatima" else "male"
        known[latin] = BeneficiaryFactory(
            center=world.centers["ANK"], first_name=latin, last_name=family, birth_year=year, sex=sex
        )
    log_in(page, "ank_center_manager")
    page.goto("/c/ANK/people/")
    page.get_by_role("link", name="Import people").click()
    assert_accessible(page)
    page.get_by_label("CSV or XLSX file").set_input_files(str(_file(tmp_path)))
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/c/ANK/people/imports/\d+/columns/$"))
    assert_accessible(page)
    # The export's headers were recognised; the Arabic-script names are chosen by hand.
    page.get_by_label("Given name (original script)").select_option(label="given_name_ar")
    page.get_by_label("Family name (original script)").select_option(label="family_name_ar")
    page.get_by_role("button", name="Start the dry run").click()

    expect(page.get_by_test_id("import-status")).to_have_text("Waiting for decisions", timeout=60_000)
    assert_accessible(page)
    expect(page.get_by_test_id("kind-possible")).to_contain_text("3")
    expect(page.get_by_test_id("kind-new")).to_contain_text("27")
    rows = page.get_by_test_id("import-rows")
    expect(rows.get_by_text(known["Mohammed"].registration_number)).to_be_visible()
    page.get_by_test_id("row-2").get_by_label("Same person as the candidate").check()
    page.get_by_test_id("row-3").get_by_label("Import as a new person").check()
    page.get_by_test_id("row-4").get_by_label("Skip this row").check()
    page.get_by_role("button", name="Save these decisions").click()
    expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_be_visible()
    page.get_by_test_id("import-now").click()

    expect(page.get_by_test_id("import-status")).to_have_text("Done", timeout=60_000)
    expect(page.get_by_test_id("import-result")).to_contain_text("28 people registered.")
    assert_accessible(page)
    assert Beneficiary.objects.filter(last_name="Demirci").exclude(household=None).count() == 3

    page.get_by_role("link", name="People").first.click()
    page.get_by_label(re.compile("Name in any script")).fill("Korkmaz")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("row")).to_have_count(4)  # the header and three people
    page.get_by_label(re.compile("Name in any script")).fill("فاطمة")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text(known["Fatima"].registration_number)).to_be_visible()
