"""Centres and rooms describe places; memberships are staff accounts, not people served."""

from core.personal_data import not_personal

not_personal("centers.Center", reason="a place: code, name, city, address, opening hours")
not_personal("centers.Room", reason="a room of a centre: name, floor, purpose")
