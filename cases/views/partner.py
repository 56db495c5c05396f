"""A partner's focal point, outside any centre: the referrals addressed to their organisation.

Only what the person's referral consent and the referral's chosen fields allow is shown, never a case note;
a withdrawn consent hides the referral at once (selectors.referrals_for_partner)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.recorder import record_access
from cases import selectors, services
from cases.access import access_partner_referral, require_partner_perm
from cases.forms import ReferralDeclineForm, ReferralOutcomeForm
from cases.models import REFERRAL_FIELDS, Referral
from centers.permissions import Perm

SHOWN = 200
VIA = Referral.AnsweredVia.PARTNER


def _to_referral(referral):
    return redirect("partner:referral", pk=referral.pk)


@require_partner_perm(Perm.ANSWER_REFERRALS)
def referrals(request):
    """Newest first; each row shows the person's name only if the referral shares it."""
    rows = list(selectors.referrals_for_partner(partner=request.partner)[:SHOWN])
    for referral in rows:
        referral.shared_name = (
            referral.case.beneficiary.full_name if "full_name" in referral.shared_fields else None
        )
    return render(request, "partner/referrals.html", {"referrals": rows, "shown": SHOWN})


@require_partner_perm(Perm.ANSWER_REFERRALS)
def referral(request, pk):
    referral = access_partner_referral(request, pk)
    shared = selectors.referral_shared_data(referral=referral)
    # A partner reading a person's data is an access like a caseworker's: logged.
    record_access(
        user=request.user, center=referral.case.center, path=request.path, person=referral.case.beneficiary
    )
    context = {
        "referral": referral,
        "shared": [(REFERRAL_FIELDS[field], value) for field, value in shared.items()],
    }
    return render(request, "partner/referral.html", context)


@require_partner_perm(Perm.ANSWER_REFERRALS)
@require_POST
def referral_accept(request, pk):
    referral = access_partner_referral(request, pk)
    try:
        services.referral_accept(referral=referral, by=request.user, via=VIA)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Referral accepted: the caseworker sees it on the case."))
    return _to_referral(referral)


def _answer_page(request, referral, form, answer, success, title):
    if request.method == "POST" and form.is_valid():
        try:
            answer(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, success)
            return _to_referral(referral)
    return render(request, "partner/answer.html", {"form": form, "referral": referral, "title": title})


@require_partner_perm(Perm.ANSWER_REFERRALS)
def referral_decline(request, pk):
    referral = access_partner_referral(request, pk)
    return _answer_page(
        request,
        referral,
        ReferralDeclineForm(request.POST or None),
        lambda data: services.referral_decline(
            referral=referral, reason=data["reason"], by=request.user, via=VIA
        ),
        _("Referral declined: the caseworker reads your reason."),
        _("Decline the referral"),
    )


@require_partner_perm(Perm.ANSWER_REFERRALS)
def referral_outcome(request, pk):
    referral = access_partner_referral(request, pk)
    return _answer_page(
        request,
        referral,
        ReferralOutcomeForm(request.POST or None),
        lambda data: services.referral_record_outcome(
            referral=referral, given_on=data["given_on"], note=data["note"], by=request.user, via=VIA
        ),
        _("Outcome recorded: the caseworker sees it on the case."),
        _("Record the outcome"),
    )
