"""Writes for centres, rooms and staff. Views and commands call these."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from centers.models import Center, Membership, Role, Room
from core.services import model_fields_set


def _save(instance):
    """full_clean then save; a lost race on a unique constraint becomes a form error."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(_("This record was just saved by someone else; reload the page.")) from exc
    return instance


def center_create(*, code: str, name: str, city: str, address: str = "", opened_on=None) -> Center:
    """An open centre: what a new installation needs before ``createstaff`` (``createcenter``)."""
    from django.utils import timezone

    return _save(
        Center(
            code=code.strip().upper(),
            name=name,
            city=city,
            address=address,
            opened_on=opened_on or timezone.localdate(),
            status=Center.Status.OPEN,
        )
    )


def room_create(
    *, center: Center, name: str, floor: int, capacity: int, purpose: str = "", is_active: bool = True
) -> Room:
    return _save(
        Room(center=center, name=name, floor=floor, capacity=capacity, purpose=purpose, is_active=is_active)
    )


ROOM_FIELDS = ["name", "floor", "capacity", "purpose", "is_active"]


def room_update(*, room: Room, data: dict) -> Room:
    """Save the fields of ROOM_FIELDS given in ``data``."""
    model_fields_set(instance=room, fields=ROOM_FIELDS, data=data)
    return _save(room)


def staff_create(
    *,
    username: str,
    password: str,
    center_code: str | None,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
):
    """Create (or extend) a staff account with a role in a centre.

    Raises ValidationError for an unknown centre or role, a centre given for a
    national role, or a weak password; nothing is saved in that case.
    """
    if role not in Role.values:
        raise ValidationError(
            _("Unknown role “%(role)s”. Choose one of: %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)}
        )
    center = None
    if center_code:
        center = Center.objects.filter(code=center_code.upper()).first()
        if center is None:
            raise ValidationError(
                _("Unknown centre “%(code)s”. Known centres: %(codes)s.")
                % {
                    "code": center_code,
                    "codes": ", ".join(Center.objects.values_list("code", flat=True)) or "—",
                }
            )
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first_name, last_name=last_name, email=email)
            validate_password(password, user)
            user.set_password(password)
            user.full_clean()
            user.save()
        membership = Membership(user=user, center=center, role=role)
        membership.full_clean(validate_unique=False, validate_constraints=False)
        Membership.objects.get_or_create(user=user, center=center, role=role)
    return user
