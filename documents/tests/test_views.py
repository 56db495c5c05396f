"""Uploading, seeing and downloading documents: who may, by kind and role, and what is recorded."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import AccessLog, AuditEvent
from documents.models import Document, Kind

from .factories import jpeg_with_gps_bytes, make_document, pdf_bytes, png_bytes, upload


def _url(name, pk, center="ANK"):
    return reverse(f"documents:{name}", kwargs={"center": center, "pk": pk})


def _fresh_token(client, url):
    return client.get(url).context["form"]["token"].value()


def test_reception_uploads_an_identity_document_kept_under_a_random_name(client, world):
    person = world.people["ANK"]
    client.force_login(world.user("ANK", "reception"))
    url = _url("upload", person.pk)
    data = {
        "token": _fresh_token(client, url),
        "kind": "identity",
        "file": upload("passport Ahmad.jpg", jpeg_with_gps_bytes()),
    }

    response = client.post(url, data)

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.beneficiary, document.kind, document.content_type) == (person, "identity", "image/jpeg")
    assert document.original_name == "passport Ahmad.jpg"
    assert "Ahmad" not in document.file.name and document.file.name.startswith("documents/ANK/")
    assert default_storage.exists(document.file.name)
    assert len(document.sha256) == 64 and document.size == document.file.size
    assert AuditEvent.objects.filter(action="create", object_type="documents.document").exists()


def test_a_double_submit_keeps_one_document(client, world):
    person = world.people["ANK"]
    client.force_login(world.user("ANK", "reception"))
    url = _url("upload", person.pk)
    token = _fresh_token(client, url)

    for _ in range(2):
        response = client.post(
            url, {"token": token, "kind": "consent", "file": upload("form.pdf", pdf_bytes())}
        )
        assert response.status_code == 302

    assert Document.objects.count() == 1
    assert len(default_storage.listdir("documents/ANK")[1]) == 1


def test_reception_may_not_add_a_medical_document(client, world):
    person = world.people["ANK"]
    client.force_login(world.user("ANK", "reception"))
    url = _url("upload", person.pk)
    response = client.post(
        url, {"token": _fresh_token(client, url), "kind": "medical", "file": upload("a.png", png_bytes())}
    )
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not Document.objects.exists()


def test_a_trainer_sees_identity_documents_but_may_not_add_any(client, world):
    document = world.documents["ANK"]
    client.force_login(world.user("ANK", "trainer"))
    assert client.get(_url("preview", document.pk)).status_code == 200
    assert client.get(_url("upload", world.people["ANK"].pk)).status_code == 403
    assert client.post(_url("remove", document.pk)).status_code == 403


# role -> may see (identity document on the person, medical letter on the person, any document on the case)
SEES = {
    "reception": (True, False, False),
    "trainer": (True, False, False),
    "social_worker": (True, True, True),
    "psychologist": (True, True, True),
    "center_manager": (True, True, True),
}


@pytest.mark.parametrize("role", sorted(SEES))
def test_who_sees_which_kind(client, world, role):
    person, reception = world.people["ANK"], world.user("ANK", "reception")
    identity = world.documents["ANK"]
    medical = make_document(person, by=reception, kind=Kind.MEDICAL)
    on_case = make_document(person, by=reception, kind=Kind.OTHER, case=world.cases["ANK"])
    client.force_login(world.user("ANK", role))
    for document, allowed in zip((identity, medical, on_case), SEES[role], strict=True):
        # A kind the role may not see answers 404 like another centre's document: its existence is not told.
        expected = 200 if allowed else 404
        assert client.get(_url("download", document.pk)).status_code == expected, (role, document.kind)
        assert client.get(_url("preview", document.pk)).status_code == expected, (role, document.kind)


@pytest.mark.parametrize("role", ["national_manager", "data_protection_officer"])
def test_national_roles_see_no_document(client, world, role):
    document = world.documents["ANK"]
    client.force_login(world.user(None, role))
    assert client.get(_url("download", document.pk)).status_code == 403
    assert client.get(_url("preview", document.pk)).status_code == 403


def test_another_centre_gets_404_through_its_own_prefix_and_ours(client, world):
    document = world.documents["ANK"]
    client.force_login(world.user("IST", "center_manager"))
    assert client.get(_url("download", document.pk, center="IST")).status_code == 404
    assert client.get(_url("download", document.pk, center="ANK")).status_code == 404
    assert client.get(_url("upload", world.people["ANK"].pk, center="IST")).status_code == 404
    case = world.cases["ANK"]
    assert (
        client.get(reverse("documents:case_upload", kwargs={"center": "IST", "pk": case.pk})).status_code
        == 404
    )


def test_a_download_is_logged_as_an_access_and_an_export(client, world):
    document = world.documents["ANK"]
    user = world.user("ANK", "reception")
    client.force_login(user)

    response = client.get(_url("download", document.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == document.file.open("rb").read()
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    access = AccessLog.objects.get(user=user)
    assert (access.beneficiary, access.path) == (document.beneficiary, _url("download", document.pk))
    export = AuditEvent.objects.get(action="export", object_type="documents.document")
    assert export.object_id == str(document.pk) and export.detail["kind"] == "identity"


def test_a_png_sent_as_pdf_downloads_as_a_png(client, world):
    document = make_document(world.people["ANK"], by=world.user("ANK", "reception"), name="scan.pdf")
    client.force_login(world.user("ANK", "reception"))
    response = client.get(_url("download", document.pk))
    assert response["Content-Type"] == "image/png"
    assert 'filename="scan.png"' in response["Content-Disposition"]


def test_an_image_is_previewed_in_the_page_through_the_checked_view(client, world):
    document = world.documents["ANK"]
    client.force_login(world.user("ANK", "reception"))
    page = client.get(_url("preview", document.pk))
    assert f'src="{_url("download", document.pk)}?inline"'.encode() in page.content
    inline = client.get(_url("download", document.pk) + "?inline")
    assert inline["Content-Disposition"].startswith("inline")
    assert not AuditEvent.objects.filter(action="export").exists()  # shown, not taken away: an access only
    assert AccessLog.objects.count() == 1


def test_a_pdf_preview_gives_its_pages_and_title(client, world):
    document = make_document(
        world.people["ANK"],
        by=world.user("ANK", "social_worker"),
        kind=Kind.REFERRAL_REPLY,
        name="r.pdf",
        content=pdf_bytes(pages=3),
    )
    client.force_login(world.user("ANK", "social_worker"))
    page = client.get(_url("preview", document.pk))
    assert page.context["pdf"].pages == 3
    assert "Reply of the Ministry of Health" in page.content.decode()


def test_removing_a_document_destroys_its_file_once_committed(
    client, world, django_capture_on_commit_callbacks
):
    document = world.documents["ANK"]
    name = document.file.name
    client.force_login(world.user("ANK", "reception"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("remove", document.pk))
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(name)
    assert AuditEvent.objects.filter(action="delete", object_type="documents.document").exists()


def test_case_staff_add_a_document_to_the_case_and_see_it_on_the_case_page(client, world):
    case = world.cases["ANK"]
    client.force_login(world.user("ANK", "psychologist"))
    url = reverse("documents:case_upload", kwargs={"center": "ANK", "pk": case.pk})
    response = client.post(
        url, {"token": _fresh_token(client, url), "kind": "medical", "file": upload("m.pdf", pdf_bytes())}
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.case, document.beneficiary) == (case, case.beneficiary)
    page = client.get(reverse("cases:detail", kwargs={"center": "ANK", "pk": case.pk}))
    assert _url("preview", document.pk).encode() in page.content


def test_the_profile_lists_the_documents_the_role_may_see(client, world, django_assert_max_num_queries):
    person, reception = world.people["ANK"], world.user("ANK", "reception")
    identity = world.documents["ANK"]
    medical = make_document(person, by=reception, kind=Kind.MEDICAL)
    for _ in range(3):
        make_document(person, by=reception, kind=Kind.CONSENT)
    client.force_login(reception)
    url = reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk})
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(40):
        page = client.get(url)
    assert _url("preview", identity.pk).encode() in page.content
    assert _url("preview", medical.pk).encode() not in page.content
    client.force_login(world.user("ANK", "social_worker"))
    assert _url("preview", medical.pk).encode() in client.get(url).content


def test_documents_move_with_a_transferred_person(client, world):
    from cases.services import transfer_decide

    document = world.documents["IST"]  # IST's person, whose case is being transferred to ANK
    transfer_decide(transfer=world.transfers["ANK"], by=world.user("ANK", "center_manager"), accept=True)

    client.force_login(world.user("ANK", "reception"))
    assert client.get(_url("preview", document.pk)).status_code == 200
    client.force_login(world.user("IST", "reception"))
    assert client.get(_url("preview", document.pk, center="IST")).status_code == 404


def test_nothing_is_added_to_an_anonymised_record(world):
    from privacy.services import person_anonymise

    person = world.people["ANK"]
    person = person_anonymise(person=person, reason="erasure_request")
    with pytest.raises(ValidationError):
        make_document(person, by=world.user("ANK", "reception"))
    assert not Document.objects.exists()
