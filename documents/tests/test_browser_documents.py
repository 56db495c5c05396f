"""Reception keeps a scan of an identity document on a profile and a photo for the card (uploaded: a headless
browser has no camera, but the camera's button is offered)."""

import re

import pytest
from playwright.sync_api import expect

from conftest import assert_accessible
from documents.models import Document, Kind
from tests.test_browser_foundation import log_in

from .factories import jpeg_with_gps_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def loaded_width(page, test_id: str) -> int:
    """The picture's width once the browser has fetched it (0 if it could not): it is visible, as a box, before
    it has loaded. Awaited with a promise: polling a predicate would need the eval the page's CSP forbids."""
    return page.get_by_test_id(test_id).evaluate(
        """img => img.complete ? img.naturalWidth : new Promise(done => {
            img.addEventListener("load", () => done(img.naturalWidth), {once: true});
            img.addEventListener("error", () => done(0), {once: true});
        })"""
    )


def test_reception_keeps_an_identity_scan_and_a_card_photo(page, world):
    person = world.people["ANK"]
    log_in(page, "ank_reception")
    page.goto(f"/c/ANK/people/{person.pk}/")
    panel = page.get_by_test_id("person-documents")
    expect(panel).to_contain_text("No documents.")

    panel.get_by_role("link", name="Add a document").click()
    assert_accessible(page)
    page.select_option("#id_kind", "identity")
    page.set_input_files(
        "#id_file", files=[{"name": "kimlik.png", "mimeType": "image/png", "buffer": png_bytes((120, 80))}]
    )
    page.get_by_role("button", name="Upload").click()

    expect(page).to_have_url(re.compile(rf"/c/ANK/people/{person.pk}/$"))
    panel.get_by_role("link", name="kimlik.png").click()
    image = page.get_by_test_id("document-image")
    expect(image).to_be_visible()
    assert loaded_width(page, "document-image") == 120
    assert_accessible(page)

    page.goto(f"/c/ANK/people/{person.pk}/photo/")
    expect(page.get_by_role("button", name="Use the camera")).to_be_visible()  # camera.js ran under the CSP
    page.set_input_files(
        "#id_photo", files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps_bytes()}]
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save the photo").click()

    expect(page).to_have_url(re.compile(rf"/c/ANK/people/{person.pk}/$"))
    photo = page.get_by_test_id("profile-photo")
    expect(photo).to_be_visible()
    assert loaded_width(page, "profile-photo") == 64
    assert sorted(Document.objects.values_list("kind", flat=True)) == [Kind.IDENTITY, Kind.PHOTO]

    # The card page, which staff print, carries the photo as the PDF does (inline: the CSP allows data: images).
    page.goto(f"/c/ANK/people/{person.pk}/card/")
    card = page.get_by_test_id("registration-card")
    expect(card.get_by_test_id("card-photo")).to_be_visible()
    assert loaded_width(page, "card-photo") == 64
    assert_accessible(page)
