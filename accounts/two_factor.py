"""Two-factor login with an authenticator app (TOTP) and one-time recovery codes, on django-otp.

django-otp keeps the devices and checks codes (with its own throttling); these are the pages
around it: enrol (scan a QR code, confirm with a first code, receive recovery codes once),
give a code after the password, and make new recovery codes.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import signals
from accounts.forms import TwoFactorCodeForm
from accounts.security import has_confirmed_device


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@login_required
def two_factor_setup(request):
    """Enrol an authenticator app. Replacing a confirmed one needs a verified session first."""
    if has_confirmed_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': _next_url(request)})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(request.user)
                signals.two_factor_passed.send(sender=None, user=request.user, detail={"enrolled": True})
            otp_login(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        signals.two_factor_failed.send(sender=None, user=request.user, detail={"enrolling": True})
        form.add_error(
            "code", _("That code is not right. Check the time on your phone and try the newest code.")
        )
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_svg": qr.svg_inline(scale=5, dark="#000", light="#fff"),
        "secret": _grouped(device.bin_key),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _grouped(key: bytes) -> str:
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
def two_factor_verify(request):
    """The second step of login: a code from the app or a recovery code (each works once)."""
    if not has_confirmed_device(request.user):
        return redirect("two_factor_setup")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            recovery = isinstance(device, StaticDevice)
            signals.two_factor_passed.send(sender=None, user=request.user, detail={"recovery_code": recovery})
            if recovery:
                left = StaticToken.objects.filter(device=device).count()
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)d are left. Make new ones if you are running out.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
        signals.two_factor_failed.send(sender=None, user=request.user, detail={})
        form.add_error("code", _("That code is not right, or it has been used already."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working). Only in a session verified with a second factor."""
    if not request.user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.path})}")
    codes = _new_recovery_codes(request.user)
    signals.two_factor_passed.send(sender=None, user=request.user, detail={"new_recovery_codes": True})
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": settings.LOGIN_REDIRECT_URL}
    )
