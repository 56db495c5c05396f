import pytest

from centers.models import Room
from core.services import model_fields_set


def test_it_sets_only_the_listed_fields_and_says_which_changed():
    room = Room(name="Old", floor=0, capacity=10)
    assert model_fields_set(
        instance=room, fields=["name", "capacity"], data={"name": "New", "capacity": 10}
    ) == ["name"]
    assert room.name == "New"


def test_it_refuses_a_key_it_was_not_written_for():
    room = Room(name="Old", floor=0, capacity=10)
    with pytest.raises(TypeError, match="center_id"):
        model_fields_set(instance=room, fields=["name"], data={"name": "New", "center_id": 99})
    assert room.name == "Old"
