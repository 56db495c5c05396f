"""Cursor pagination: the cursor encodes a position in an immutable order (the primary key), so a page never
repeats or skips a row when rows are added or change status between two calls."""

from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    ordering = "-pk"  # newest first; unique and never changes
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class OldestFirstCursorPagination(StableCursorPagination):
    ordering = "pk"
