"""The service directory: searched by service type and district when referring, kept and imported by
centre managers, all rows or none with every wrong row named."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from cases import services
from cases.models import Partner, Referral, ServicePoint

HEADER = "organisation,name,service_types,city,district,address,opening_hours,languages,eligibility,referral_method,contact"


def url(name, code="ANK", **kwargs):
    return reverse(f"cases:{name}", kwargs={"center": code, **kwargs})


def _csv(*rows, header=HEADER):
    return SimpleUploadedFile("directory.csv", "\n".join([header, *rows]).encode(), content_type="text/csv")


def _point(world, name, types, district, city="Ankara", partner="UNHCR"):
    return ServicePoint.objects.create(
        partner=Partner.objects.get(name=partner),
        center=world.centers["ANK"],
        name=name,
        service_types=types,
        city=city,
        district=district,
    )


def test_social_workers_search_by_service_type_and_district(client, world):
    _point(world, "Çankaya legal desk", ["legal_aid"], "Çankaya")
    _point(
        world,
        "Keçiören family health centre",
        ["health_care", "mental_health"],
        "Keçiören",
        partner="Ministry of Health",
    )
    client.force_login(world.user("ANK", "social_worker"))
    page = client.get(url("directory"), {"service_type": "health_care"}).content.decode()
    assert "Keçiören family health centre" in page and "Altındağ migrant health centre" in page
    assert "Çankaya legal desk" not in page
    page = client.get(
        url("directory"), {"service_type": "health_care", "district": "keçiören"}
    ).content.decode()
    assert "Keçiören family health centre" in page and "Altındağ migrant health centre" not in page
    # A wrong filter is ignored, never a 500.
    assert client.get(url("directory"), {"service_type": "<script>"}).status_code == 200


def test_the_directory_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.user("ANK", "social_worker"))
    client.get(url("directory"))
    # 1 session, 2 user, 3 second-factor check, 4 roles, 5 centre, 6 the points with their organisation,
    # 7-8 navigation, 9-11 session save.
    with django_assert_max_num_queries(11) as few:
        client.get(url("directory"))
    for n in range(20):
        _point(world, f"Point {n}", ["shelter"], "Mamak")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url("directory")).content.decode()
    assert page.count("Point ") >= 20


def test_a_centre_manager_adds_and_edits_a_service_point_of_their_centre(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    data = {
        "partner": Partner.objects.get(name="UNHCR").pk,
        "name": "Protection desk",
        "service_types": ["legal_aid", "child_protection"],
        "city": "Ankara",
        "district": "Çankaya",
        "languages": "Arabic, Turkish",
        "referral_method": "phone",
        "is_active": "on",
    }
    assert client.post(url("service_point_create"), data).status_code == 302
    point = ServicePoint.objects.get(name="Protection desk")
    assert point.center == world.centers["ANK"] and point.languages == ["Arabic", "Turkish"]
    assert (
        client.post(url("service_point_edit", pk=point.pk), {**data, "district": "Mamak"}).status_code == 302
    )
    point.refresh_from_db()
    assert point.district == "Mamak"
    # Istanbul's manager does not keep Ankara's points, and a social worker keeps none.
    client.force_login(world.user("IST", "center_manager"))
    assert client.get(url("service_point_edit", code="IST", pk=point.pk)).status_code == 404
    client.force_login(world.user("ANK", "social_worker"))
    assert client.get(url("service_point_edit", pk=point.pk)).status_code == 403


def test_a_service_point_needs_a_known_service_type(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    data = {
        "partner": Partner.objects.get(name="UNHCR").pk,
        "name": "X",
        "city": "Ankara",
        "referral_method": "phone",
    }
    response = client.post(url("service_point_create"), {**data, "service_types": ["teleportation"]})
    assert response.status_code == 200 and not ServicePoint.objects.filter(name="X").exists()


def test_an_import_adds_and_updates_points(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    upload = _csv(
        'UNHCR,Protection desk,"legal_aid, Child protection",Ankara,Çankaya,,09:00-17:00,"Arabic, Turkish",,in person,0312',
        'Ministry of Health,Altındağ migrant health centre,"health_care, mental_health",Ankara,Altındağ,,,,,letter,',
    )
    response = client.post(url("service_points_import"), {"file": upload})
    assert response.status_code == 302
    desk = ServicePoint.objects.get(name="Protection desk")
    assert desk.service_types == ["legal_aid", "child_protection"] and desk.referral_method == "in_person"
    assert ServicePoint.objects.get(pk=world.service_points["ANK"].pk).service_types == [
        "health_care",
        "mental_health",
    ]


def test_an_import_with_wrong_rows_saves_nothing_and_names_every_wrong_row(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    before = ServicePoint.objects.count()
    upload = _csv(
        "UNHCR,Good desk,legal_aid,Ankara,Çankaya,,,,,phone,",
        "Nobody,Bad desk,legal_aid,Ankara,Çankaya,,,,,phone,",
        "UNHCR,Typo desk,legal aidd,Ankara,Çankaya,,,,,by pigeon,",
        "UNHCR,,legal_aid,,,,,,,,",
        "UNHCR,Good desk,legal_aid,Ankara,Çankaya,,,,,phone,",
    )
    page = client.post(url("service_points_import"), {"file": upload}).content.decode()
    assert ServicePoint.objects.count() == before
    assert "Row 3:" in page and "unknown organisation" in page
    assert "Row 4:" in page and "legal aidd" in page and "by pigeon" in page
    assert "Row 5:" in page
    assert "Row 6:" in page and "earlier row" in page
    assert "Row 2:" not in page


def test_an_import_refuses_a_wrong_header_and_reads_xlsx(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    page = client.post(url("service_points_import"), {"file": _csv("x", header="name,city")}).content.decode()
    assert "The first row must be" in page
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["IOM", "Mamak livelihoods", "livelihoods", "Ankara", "Mamak", "", "", "", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("directory.xlsx", buffer.getvalue())
    assert client.post(url("service_points_import"), {"file": upload}).status_code == 302
    assert ServicePoint.objects.filter(name="Mamak livelihoods", partner__name="IOM").exists()


def test_the_referral_form_offers_the_points_found_and_refers_to_their_organisation(client, world):
    _point(world, "Çankaya legal desk", ["legal_aid"], "Çankaya")
    client.force_login(world.user("ANK", "social_worker"))
    case = world.cases["ANK"]
    page = client.get(
        url("referral_add", pk=case.pk), {"find-service_type": "health_care", "find-district": "Altındağ"}
    ).content.decode()
    assert "Altındağ migrant health centre" in page and "Çankaya legal desk" not in page
    point = world.service_points["ANK"]
    response = client.post(
        url("referral_add", pk=case.pk),
        {
            "service_type": "health_care",
            "service_point": point.pk,
            "reason": "Vaccinations for the children",
            "urgency": "routine",
            "shared_fields": ["full_name", "phone"],
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get(reason="Vaccinations for the children")
    assert referral.service_point == point and referral.partner == point.partner


def test_a_referral_needs_a_service_point_or_an_organisation(client, world):
    client.force_login(world.user("ANK", "social_worker"))
    response = client.post(
        url("referral_add", pk=world.cases["ANK"].pk),
        {"reason": "Nowhere", "urgency": "routine", "shared_fields": ["full_name"]},
    )
    assert response.status_code == 200 and not Referral.objects.filter(reason="Nowhere").exists()


def test_a_point_of_another_organisation_is_refused_for_a_referral(world):
    point = world.service_points["ANK"]
    referral = Referral(
        case=world.cases["ANK"],
        partner=Partner.objects.get(name="UNHCR"),
        service_point=point,
        reason="r",
        created_by=world.user("ANK", "social_worker"),
    )
    try:
        referral.full_clean()
    except services.ValidationError as exc:
        assert "service_point" in exc.message_dict
    else:
        raise AssertionError("a point of another organisation was accepted")
