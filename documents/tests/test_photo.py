"""The photo on the card: only with consent to photographs; shown on the profile, printed on the card."""

import io

from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from audit.models import AccessLog
from beneficiaries.models import Consent, ConsentScope
from documents.models import Document, Kind

from .factories import jpeg_with_gps_bytes, make_document, pdf_bytes, upload


def _photo_url(person, center="ANK"):
    return reverse("documents:photo", kwargs={"center": center, "pk": person.pk})


def _withdraw_photo_consent(person):
    Consent.objects.filter(beneficiary=person, scope=ConsentScope.PHOTO).update(withdrawn_at=timezone.now())


def _card_images(client, person) -> int:
    response = client.get(reverse("beneficiaries:card_pdf", kwargs={"center": "ANK", "pk": person.pk}))
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    return len(page.images)


def _card_page_photo(client, person) -> bool:
    page = client.get(
        reverse("beneficiaries:card", kwargs={"center": "ANK", "pk": person.pk})
    ).content.decode()
    return 'data-testid="card-photo"' in page and 'src="data:image/' in page


def _post_photo(client, person, content, name="camera.jpg"):
    url = _photo_url(person)
    token = client.get(url).context["form"]["token"].value()
    return client.post(url, {"token": token, "photo": upload(name, content)})


def test_reception_takes_a_photo_shown_on_the_profile_and_printed_on_the_card(client, world):
    person = world.people["ANK"]
    client.force_login(world.user("ANK", "reception"))
    assert _card_images(client, person) == 1  # the QR code alone
    assert not _card_page_photo(client, person)

    response = _post_photo(client, person, jpeg_with_gps_bytes())

    assert response.status_code == 302
    photo = Document.objects.get(kind=Kind.PHOTO)
    assert b"Exif" not in photo.file.open("rb").read()
    profile = client.get(reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk}))
    photo_url = reverse("documents:download", kwargs={"center": "ANK", "pk": photo.pk})
    assert f'src="{photo_url}?inline"'.encode() in profile.content
    assert client.get(photo_url + "?inline")["Content-Type"] == "image/jpeg"
    assert _card_images(client, person) == 2
    assert _card_page_photo(client, person)  # the card page prints it too
    card_url = reverse("beneficiaries:card", kwargs={"center": "ANK", "pk": person.pk})
    assert AccessLog.objects.filter(beneficiary=person, path=card_url).exists()  # and is logged as an opening


def test_a_new_photo_replaces_the_old_one_and_destroys_its_file(
    client, world, django_capture_on_commit_callbacks
):
    person = world.people["ANK"]
    old = make_document(person, by=world.user("ANK", "reception"), kind=Kind.PHOTO)
    client.force_login(world.user("ANK", "reception"))
    with django_capture_on_commit_callbacks(execute=True):
        assert _post_photo(client, person, jpeg_with_gps_bytes()).status_code == 302
    assert list(Document.objects.filter(kind=Kind.PHOTO)) != [old]
    assert Document.objects.filter(kind=Kind.PHOTO).count() == 1
    assert not old.file.storage.exists(old.file.name)


def test_a_large_picture_is_made_card_sized(client, world):
    person = world.people["ANK"]
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), (1, 2, 3)).save(out, format="JPEG")
    client.force_login(world.user("ANK", "reception"))
    assert _post_photo(client, person, out.getvalue(), name="big.jpg").status_code == 302
    stored = Image.open(Document.objects.get().file.open("rb"))
    assert max(stored.size) == 800


def test_a_pdf_is_not_a_photo(client, world):
    person = world.people["ANK"]
    client.force_login(world.user("ANK", "reception"))
    response = _post_photo(client, person, pdf_bytes(), name="photo.pdf")
    assert response.status_code == 200
    assert response.context["form"].errors["photo"] == ["A photo must be a JPEG or PNG picture."]
    assert not Document.objects.exists()


def test_without_photo_consent_no_photo_is_taken(client, world):
    person = world.people["ANK"]
    _withdraw_photo_consent(person)
    client.force_login(world.user("ANK", "reception"))
    page = client.get(_photo_url(person))
    assert b'data-testid="no-photo-consent"' in page.content
    response = client.post(
        _photo_url(person),
        {"token": page.context["form"]["token"].value(), "photo": upload("c.jpg", jpeg_with_gps_bytes())},
    )
    assert response.status_code == 200
    assert "not consented to photographs" in str(response.context["form"].non_field_errors())
    assert not Document.objects.exists()


def test_withdrawn_consent_hides_the_photo_and_the_card_prints_without_it(client, world):
    person = world.people["ANK"]
    photo = make_document(person, by=world.user("ANK", "reception"), kind=Kind.PHOTO)
    client.force_login(world.user("ANK", "reception"))
    assert _card_images(client, person) == 2
    assert _card_page_photo(client, person)

    _withdraw_photo_consent(person)

    assert _card_images(client, person) == 1
    assert not _card_page_photo(client, person)
    profile = client.get(reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk}))
    assert b'data-testid="profile-photo"' not in profile.content
    download = reverse("documents:download", kwargs={"center": "ANK", "pk": photo.pk})
    assert client.get(download + "?inline").status_code == 404
    # Still deletable, so a hidden photo need not be kept.
    remove = reverse("documents:remove", kwargs={"center": "ANK", "pk": photo.pk})
    assert client.post(remove).status_code == 302
    assert not Document.objects.exists()


def test_the_photo_page_is_for_the_front_desk_of_the_persons_centre(client, world):
    person = world.people["ANK"]
    client.force_login(world.user("ANK", "trainer"))
    assert client.get(_photo_url(person)).status_code == 403
    client.force_login(world.user("IST", "reception"))
    assert client.get(_photo_url(person, center="IST")).status_code == 404
