"""The counting vocabulary of DESIGN.md shared by every table that breaks people down."""

from django.conf import settings

AGE_BANDS = [("0-4", 0, 4), ("5-11", 5, 11), ("12-17", 12, 17), ("18-59", 18, 59), ("60+", 60, 200)]
SEXES = ["female", "male", "unknown"]
GROUPS = ["migrant", "host"]
ALL = "*"  # the total of a dimension (every centre, every category)


def small_cell(n: int):
    threshold = settings.REPORT_SMALL_CELL_THRESHOLD
    return f"<{threshold}" if 0 < n < threshold else n
