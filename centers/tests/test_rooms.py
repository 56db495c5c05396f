import pytest
from django.urls import reverse

from centers.models import Room


def room_url(name, center, **kwargs):
    return reverse(f"centers:{name}", kwargs={"center": center, **kwargs})


@pytest.fixture
def manager_client(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    return client


def test_manager_adds_a_room(manager_client, world):
    response = manager_client.post(
        room_url("room_create", "ANK"), {"name": "Library", "floor": 2, "capacity": 12, "is_active": "on"}
    )
    room = Room.objects.get(name="Library")
    assert room.center == world.centers["ANK"]
    assert response.status_code == 302
    assert response["Location"] == room_url("room_detail", "ANK", pk=room.pk)


def test_double_submit_creates_one_room_and_explains_the_second(manager_client):
    data = {"name": "Library", "floor": 1, "capacity": 12}
    manager_client.post(room_url("room_create", "ANK"), data)
    second = manager_client.post(room_url("room_create", "ANK"), data)
    assert Room.objects.filter(name="Library").count() == 1
    assert second.status_code == 200
    assert "already exists" in second.content.decode()


def test_floor_beyond_the_building_is_a_form_error(manager_client):
    response = manager_client.post(
        room_url("room_create", "ANK"), {"name": "Roof", "floor": 7, "capacity": 5}
    )
    assert response.status_code == 200
    assert "This centre has 3 floors" in response.content.decode()
    assert not Room.objects.filter(name="Roof").exists()


def test_form_errors_are_translated(manager_client):
    manager_client.cookies["django_language"] = "tr"
    response = manager_client.post(
        room_url("room_create", "ANK"), {"name": "Roof", "floor": 7, "capacity": 5}
    )
    assert "Bu merkezin 3 katı var" in response.content.decode()


def test_garbage_input_is_a_form_error_not_a_500(manager_client, world):
    room = world.rooms["ANK"]
    response = manager_client.post(
        room_url("room_edit", "ANK", pk=room.pk), {"name": "", "floor": "x", "capacity": "-3"}
    )
    assert response.status_code == 200
    room.refresh_from_db()
    assert room.name == "Ankara classroom"


def test_same_room_name_is_fine_in_another_centre(manager_client, world):
    manager_client.post(
        room_url("room_create", "ANK"), {"name": "Istanbul classroom", "floor": 1, "capacity": 9}
    )
    assert Room.objects.filter(name="Istanbul classroom").count() == 2


def test_trainer_sees_rooms_but_may_not_change_them(client, world):
    client.force_login(world.user("ANK", "trainer"))
    room = world.rooms["ANK"]
    assert client.get(room_url("room_detail", "ANK", pk=room.pk)).status_code == 200
    response = client.post(
        room_url("room_edit", "ANK", pk=room.pk), {"name": "Hijacked", "floor": 1, "capacity": 5}
    )
    assert response.status_code == 403
    room.refresh_from_db()
    assert room.name == "Ankara classroom"


def test_user_of_other_centre_gets_404_on_every_room_view(world, assert_other_center_gets_404):
    room = world.rooms["ANK"]
    other = world.user("IST", "center_manager")
    assert_other_center_gets_404(other, "centers:room_detail", center="ANK", pk=room.pk)
    assert_other_center_gets_404(other, "centers:room_edit", center="ANK", pk=room.pk)
    assert_other_center_gets_404(other, "centers:room_create", center="ANK")
    assert_other_center_gets_404(other, "centers:room_list", center="ANK")


def test_room_list_queries_stay_constant(manager_client, world, django_assert_max_num_queries):
    for n in range(30):
        Room.objects.create(center=world.centers["ANK"], name=f"Room {n}", floor=n % 3, capacity=10)
    # 1 session, 2 user, 3 the user's roles here, 4 the centre, 5 rooms,
    # 6-7 navigation: national-role check and the user's centres,
    # 8-10 the idle-timeout session save (savepoint, update, release).
    # +1: the second-factor check (django-otp's device in the session, or whether the role needs one).
    with django_assert_max_num_queries(11):
        response = manager_client.get(room_url("room_list", "ANK"))
    assert response.content.decode().count("/rooms/") >= 30
