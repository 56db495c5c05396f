"""The audit trail: who created, changed, deleted, exported or logged in, and from where.

Each app registers the models whose writes are audited from its own ``apps.py`` (:func:`register`), so this
module imports no app above it. Writes of personal data are caught by model signals (so a new service cannot
forget them);
bulk writes that bypass signals (registers, transfers, merges) call :func:`record` themselves.
The acting user and address come from the request through a context variable set by
:class:`AuditContextMiddleware`; in Celery tasks and commands there is no actor, unless the task acts for
someone (:func:`acting_as`).
"""

import contextlib
import contextvars
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save

from .models import AccessLog, AuditEvent

#: model label ("cases.Case") -> the stable name the trail gives it ("cases.case"). Filled by each app's
#: ready() through :func:`register`; the name is given, not derived, so moving a model never renames its events.
_AUDITED: dict[str, str] = {}
_ACCESS: set[str] = set()  # memberships and accounts: their writes are access changes
# Fields whose change is bookkeeping, not a change of what is held about someone.
IGNORED_FIELDS = {"last_login", "updated_at", "status_changed_at"}


@dataclass(frozen=True)
class Context:
    user: object = None
    ip_address: str | None = None


_context: contextvars.ContextVar[Context] = contextvars.ContextVar("audit_context", default=Context())  # noqa: B039 - frozen


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Makes the request's user and address known to :func:`record` for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _context.set(Context(user=getattr(request, "user", None), ip_address=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            _context.reset(token)


@contextlib.contextmanager
def acting_as(user, *, ip_address: str | None = None):
    """Outside a request, record writes as ``user``'s: a task finishing what they asked (an import)."""
    token = _context.set(Context(user=user, ip_address=ip_address))
    try:
        yield
    finally:
        _context.reset(token)


def label(model) -> str:
    """The stable name of a model in the trail: the registered one, else the model's own label."""
    return _AUDITED.get(model._meta.label, model._meta.label_lower)


def register(model_label: str, *, label: str, access: bool = False) -> None:
    """Audit every save and delete of ``model_label`` ("app.Model") under the name ``label``."""
    model = apps.get_model(model_label)
    _AUDITED[model._meta.label] = label
    if access:
        _ACCESS.add(label)
    uid = f"audit-{model._meta.label}"
    pre_save.connect(_remember_old, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-post")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")


def audited_models() -> dict[str, str]:
    """{model label: name in the trail} of every registered model."""
    return dict(_AUDITED)


def record(
    action: str,
    *,
    obj=None,
    object_type: str = "",
    object_id="",
    center_id: int | None = None,
    detail: dict | None = None,
    actor=None,
    username: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event. ``detail`` must hold names and numbers, never what a person told us."""
    context = _context.get()
    actor = actor if actor is not None else context.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or label(obj)
        object_id = object_id or obj.pk
        center_id = center_id if center_id is not None else getattr(obj, "center_id", None)
    return AuditEvent.objects.create(
        actor=actor,
        username=username or (actor.get_username() if actor else ""),
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        center_id=center_id,
        ip_address=ip_address or context.ip_address,
        detail=detail or {},
    )


def record_export(obj, what: str, **detail) -> AuditEvent:
    """A download or print of something about people (card, letter, certificate, report file)."""
    return record(AuditEvent.Action.EXPORT, obj=obj, detail={"what": what, **detail})


def record_access(*, user, center, path: str, person, case=None) -> AccessLog:
    """Every opening of a profile or case file: who, what, when, from which address."""
    return AccessLog.objects.create(
        user=user,
        beneficiary=person,
        case=case,
        center=center,
        path=path[:255],
        ip_address=_context.get().ip_address,
    )


# -- signal receivers ------------------------------------------------------------------------------------


def _watched_fields(instance) -> list:
    return [f for f in instance._meta.concrete_fields if not f.primary_key and f.name not in IGNORED_FIELDS]


def _remember_old(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        return
    fields = _watched_fields(instance)
    old = sender._base_manager.filter(pk=instance.pk).values(*[f.attname for f in fields]).first()
    instance._audit_old = old


def _changed(instance) -> list[str]:
    old = getattr(instance, "_audit_old", None)
    if old is None:
        return []
    return sorted(f.name for f in _watched_fields(instance) if old[f.attname] != getattr(instance, f.attname))


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    access = label(sender) in _ACCESS
    if created:
        action = AuditEvent.Action.ACCESS_CHANGE if access else AuditEvent.Action.CREATE
        detail = {"created": True}
        if label(sender) == "centers.membership":
            detail["role"] = instance.role
        record(action, obj=instance, detail=detail)
        return
    had_old = getattr(instance, "_audit_old", None) is not None
    changed = _changed(instance)
    instance._audit_old = None
    if not changed and (had_old or access):
        return  # a save that changed nothing anyone cares about
    record(
        AuditEvent.Action.ACCESS_CHANGE if access else AuditEvent.Action.UPDATE,
        obj=instance,
        detail={"fields": changed},
    )


def _deleted(sender, instance, **kwargs):
    access = label(sender) in _ACCESS
    detail = {"deleted": True}
    if label(sender) == "centers.membership":
        detail["role"] = instance.role
    record(
        AuditEvent.Action.ACCESS_CHANGE if access else AuditEvent.Action.DELETE, obj=instance, detail=detail
    )


def _logged_in(sender, request, user, **kwargs):
    record(AuditEvent.Action.LOGIN, actor=user, ip_address=client_ip(request))


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditEvent.Action.LOGOUT, actor=user, ip_address=client_ip(request))


def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get(get_user_model().USERNAME_FIELD, ""))[:150]
    record(
        AuditEvent.Action.LOGIN_FAILED,
        username=username,
        ip_address=client_ip(request) if request is not None else None,
    )


def _locked_out(sender, request, username, ip_address, **kwargs):
    record(AuditEvent.Action.LOCKED_OUT, username=str(username or "")[:150], ip_address=ip_address)


def _two_factor_passed(sender, user, detail, **kwargs):
    record(AuditEvent.Action.TWO_FACTOR, obj=user, detail=detail)


def _two_factor_failed(sender, user, detail, **kwargs):
    record(AuditEvent.Action.TWO_FACTOR_FAILED, obj=user, detail=detail)


def connect_authentication() -> None:
    """Logins, logouts, second factors, failures and lockouts; called once from AuditConfig.ready()."""
    from accounts import signals

    signals.two_factor_passed.connect(_two_factor_passed, dispatch_uid="audit-two-factor")
    signals.two_factor_failed.connect(_two_factor_failed, dispatch_uid="audit-two-factor-failed")
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="audit-locked-out")
