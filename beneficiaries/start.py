"""Start-page panel of the front desk (centers/start.py): the search box, which reads nothing."""

from centers import start
from centers.models import Role
from centers.permissions import Perm


def _search(center, user) -> dict:
    return {}


start.register(
    "find_person",
    roles={Role.RECEPTION},
    order=10,
    template="beneficiaries/start_search.html",
    context=_search,
    perm=Perm.VIEW_BENEFICIARIES,
)
