"""Writes of the service directory (partners' service points, kept by centres, imported from a file) and of
partners' focal point accounts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import recorder
from audit.models import AuditEvent
from cases.models import Partner, PartnerFocalPoint, ServicePoint, ServiceType
from centers.models import Center

# ---------------------------------------------------------------- the service directory

SERVICE_POINT_FIELDS = ["partner", *ServicePoint.DETAILS, "is_active"]


def service_point_save(*, center: Center, point: ServicePoint | None = None, data: dict) -> ServicePoint:
    """Create a service point kept by ``center``, or update one through the directory's explicit field list."""
    point = point or ServicePoint(center=center)
    for name in SERVICE_POINT_FIELDS:
        if name in data:
            setattr(point, name, data[name])
    point.full_clean()
    point.save()
    return point


IMPORT_COLUMNS = ["organisation", *ServicePoint.DETAILS]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _choice(text: str, choices) -> str | None:
    """A choice by its code or its label (in English or the language of the import), case-insensitive."""
    wanted = text.strip().lower()
    for value, label in choices:
        if wanted in (value.lower(), str(label).lower()):
            return value
    return None


def _service_point_from_row(
    center: Center, row: list[str], partners: dict, held: dict, seen: set
) -> tuple[ServicePoint | None, list[str]]:
    values = dict(zip(IMPORT_COLUMNS, (c.strip() for c in [*row, *[""] * len(IMPORT_COLUMNS)]), strict=False))
    problems = []
    partner = partners.get(values["organisation"].lower())
    if partner is None:
        problems.append(_("unknown organisation “%(name)s”.") % {"name": values["organisation"]})
    types = []
    for text in _split(values["service_types"]):
        value = _choice(text, ServiceType.choices)
        if value is None:
            problems.append(_("unknown service type “%(type)s”.") % {"type": text})
        else:
            types.append(value)
    method = ServicePoint.ReferralMethod.LETTER
    if values["referral_method"]:
        method = _choice(values["referral_method"], ServicePoint.ReferralMethod.choices)
        if method is None:
            problems.append(_("unknown way to refer “%(method)s”.") % {"method": values["referral_method"]})
    key = (partner.pk if partner else None, values["name"].lower())
    point = held.get(key) or ServicePoint(center=center)
    for name in ("name", "city", "district", "address", "opening_hours", "eligibility", "contact"):
        setattr(point, name, values[name])
    point.partner, point.service_types, point.referral_method = partner, types, method
    point.languages, point.is_active = _split(values["languages"]), True
    try:
        point.full_clean(
            exclude=["partner"] if partner is None else [],
            validate_unique=partner is not None,
        )
    except ValidationError as exc:
        problems.extend(m for m in exc.messages if m not in problems)
    if key in seen:
        problems.append(_("this service point is already on an earlier row."))
    seen.add(key)
    return (None if problems else point), problems


def service_points_import(*, center: Center, rows: list[list[str]], by) -> dict:
    """Add or update the centre's part of the directory from a file's rows (a point is found by organisation
    and name among those the centre keeps): all rows, or none and every wrong row named with every problem."""
    header = [c.strip().lower() for c in rows[0][: len(IMPORT_COLUMNS)]] if rows else []
    if header != IMPORT_COLUMNS:
        raise ValidationError(
            _("The first row must be: %(columns)s.") % {"columns": ", ".join(IMPORT_COLUMNS)}
        )
    partners = {p.name.lower(): p for p in Partner.objects.filter(is_active=True)}
    held = {(p.partner_id, p.name.lower()): p for p in ServicePoint.objects.in_center(center)}
    points, errors, seen = [], [], set()
    for number, row in enumerate(rows[1:], start=2):
        point, problems = _service_point_from_row(center, row, partners, held, seen)
        if problems:
            errors.append(_("Row %(row)d: %(errors)s") % {"row": number, "errors": " ".join(problems)})
        else:
            points.append(point)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = sum(1 for p in points if p.pk is None)
        for point in points:
            point.save()
        # Each saved point is audited by its model signal; this event says which file brought them, and who.
        recorder.record(
            AuditEvent.Action.CREATE,
            object_type="cases.servicepointimport",
            center_id=center.pk,
            actor=by,
            detail={"imported": len(points), "created": created},
        )
    return {"created": created, "updated": len(points) - created}


# ---------------------------------------------------------------- partner focal points


def partner_focal_point_create(
    *,
    username: str,
    password: str,
    partner_name: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> PartnerFocalPoint:
    """An account for a partner organisation's focal point (``createstaff --role partner_focal_point
    --partner NAME``). A focal point holds no centre membership: a staff account cannot become one."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    partner = Partner.objects.filter(name__iexact=partner_name.strip(), is_active=True).first()
    if partner is None:
        raise ValidationError(_("Unknown partner “%(name)s”.") % {"name": partner_name})
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            _("“%(username)s” already has an account: a focal point needs an account of its own.")
            % {"username": username}
        )
    with transaction.atomic():
        user = User(username=username, first_name=first_name, last_name=last_name, email=email)
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
        focal_point = PartnerFocalPoint(user=user, partner=partner)
        focal_point.full_clean()
        focal_point.save()
    return focal_point
