from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.recorder import record_access, record_export
from beneficiaries import cards, panels, selectors, services
from beneficiaries.access import access_household, access_merge_request, access_person
from beneficiaries.forms import BeneficiaryForm, ConsentForm, LookupForm, MemberForm, MemberFormSet, MergeForm
from beneficiaries.history import change_log
from beneficiaries.models import Language, MergeRequest, Vulnerability
from centers.permissions import Perm, require_perm
from core.forms import SubmissionTokenForm

PAGE_SIZE = 25


def _to_profile(request, person):
    return redirect("beneficiaries:detail", center=request.center.code, pk=person.pk)


def _registered(request, person):
    messages.success(
        request,
        _("Registered %(name)s as %(number)s.")
        % {"name": person.full_name, "number": person.registration_number},
    )
    return _to_profile(request, person)


@require_perm(Perm.VIEW_BENEFICIARIES)
def search(request, center):
    query = request.GET.get("q", "")
    results = selectors.beneficiary_search(center=request.center, query=query)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "beneficiaries/search.html", {"query": query, "page": page})


def _person_input(request, form, **kwargs):
    candidates = selectors.duplicate_candidates(
        person=form.cleaned_data, user_center_ids={request.center.pk}, **kwargs
    )
    form.candidates = candidates
    if candidates:
        form.show_duplicate_confirmation()
    return services.PersonInput(
        data=form.person_data(),
        candidates=candidates,
        confirmed_not_duplicate=form.cleaned_data["not_duplicate"],
    )


@require_perm(Perm.REGISTER_BENEFICIARIES)
def register(request, center):
    if request.method != "POST":
        forms = {
            "form": BeneficiaryForm(prefix="person"),
            "members": MemberFormSet(prefix="members"),
            "consent_form": ConsentForm(prefix="consent"),
            "token_form": SubmissionTokenForm.fresh(),
        }
        return render(request, "beneficiaries/register.html", forms)

    form = BeneficiaryForm(request.POST, prefix="person")
    members = MemberFormSet(request.POST, prefix="members")
    consent_form = ConsentForm(request.POST, prefix="consent")
    token_form = SubmissionTokenForm(request.POST)
    if not token_form.is_valid():
        # A lost or mangled token (an old tab, a proxy): give the form a new one rather than a dead end.
        token_form = SubmissionTokenForm.fresh()
    context = {"form": form, "members": members, "consent_form": consent_form, "token_form": token_form}
    if not all([form.is_valid(), members.is_valid(), consent_form.is_valid(), token_form.is_bound]):
        return render(request, "beneficiaries/register.html", context)

    member_forms = [f for f in members.forms if f.has_changed()]
    try:
        person = services.beneficiary_register(
            center=request.center,
            by=request.user,
            head=_person_input(request, form),
            members=[_person_input(request, f) for f in member_forms],
            consents=consent_form.answers(),
            token=token_form.cleaned_data["token"],
        )
    except services.DuplicateSuspected:
        context["duplicates"] = True
        return render(request, "beneficiaries/register.html", context)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return render(request, "beneficiaries/register.html", context)
    return _registered(request, person)


@require_perm(Perm.REGISTER_BENEFICIARIES)
def member_add(request, center, pk):
    household = access_household(request, pk)
    form = MemberForm(request.POST or None, prefix="member")
    consent_form = ConsentForm(request.POST or None, prefix="consent")
    context = {"household": household, "form": form, "consent_form": consent_form}
    if request.method == "POST" and form.is_valid() and consent_form.is_valid():
        try:
            person = services.household_member_add(
                household=household,
                by=request.user,
                member=_person_input(request, form, same_household_id=household.pk),
                consents=consent_form.answers(),
            )
        except services.DuplicateSuspected:
            context["duplicates"] = True
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return _registered(request, person)
    return render(request, "beneficiaries/member_add.html", context)


@require_perm(Perm.VIEW_BENEFICIARIES)
def detail(request, center, pk):
    person = access_person(request, pk)
    if person.merged_into_id:
        messages.info(
            request,
            _("This record was merged into %(number)s.") % {"number": person.merged_into.registration_number},
        )
        return _to_profile(request, person.merged_into)
    record_access(user=request.user, center=request.center, path=request.path, person=person)
    household_members = []
    if person.household_id:
        household_members = list(
            # Only members this centre serves: one who moved to another centre is that centre's to show.
            person.household.members.filter(merged_into__isnull=True, center=request.center)
            .exclude(pk=person.pk)
            .order_by("birth_year")
        )
    context = {
        "person": person,
        "household_members": household_members,
        "consents": list(person.consents.select_related("recorded_by")),
        "aliases": list(person.aliases.values_list("number", flat=True)),
        "changes": change_log(person),
        "vulnerability_labels": [Vulnerability(v).label for v in person.vulnerabilities],
        "language_labels": [Language(code).label for code in person.languages],
    }
    context["profile_panels"], panel_context = panels.profile_panels(request, person)
    context.update(panel_context)
    return render(request, "beneficiaries/detail.html", context)


def _changes(request, form, person):
    """The corrected details; when they touch what identifies a person, checked for duplicates as at registration."""
    if not set(form.changed_data) & services.CHECKED_ON_EDIT:
        return services.PersonInput(data=form.person_data())
    return _person_input(
        request,
        form,
        exclude_ids={person.pk, *selectors.dismissed_duplicates(person=person)},
        same_household_id=person.household_id,
    )


@require_perm(Perm.REGISTER_BENEFICIARIES)
def edit(request, center, pk):
    person = access_person(request, pk)
    answers = {c.scope: c.is_active for c in person.consents.all()}
    form = BeneficiaryForm(request.POST or None, instance=person, prefix="person")
    consent_form = ConsentForm(request.POST or None, prefix="consent", initial_answers=answers)
    # The form writes into ``person`` as it validates: the heading keeps the saved name.
    context = {"person": person, "saved_name": person.full_name, "form": form, "consent_form": consent_form}
    if request.method == "POST" and form.is_valid() and consent_form.is_valid():
        try:
            services.beneficiary_edit(
                person=person,
                changes=_changes(request, form, person),
                consents=consent_form.answers(),
                by=request.user,
            )
        except services.DuplicateSuspected:
            context["duplicates"] = True
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Changes saved."))
            return _to_profile(request, person)
    return render(request, "beneficiaries/edit.html", context)


@require_perm(Perm.REGISTER_BENEFICIARIES)
def card(request, center, pk):
    person = access_person(request, pk)
    # The page shows the card's photo as the profile does, so it is an opening of the record like the profile.
    record_access(user=request.user, center=request.center, path=request.path, person=person)
    context = {
        "person": person,
        "qr_svg": cards.card_qr_svg(person),
        "photo_src": cards.card_photo_src(person),
    }
    return render(request, "beneficiaries/card.html", context)


@require_perm(Perm.REGISTER_BENEFICIARIES)
def card_pdf(request, center, pk):
    person = access_person(request, pk)
    record_export(person, "registration card")
    response = HttpResponse(cards.card_pdf(person), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{person.registration_number}.pdf"'
    return response


@require_POST
@require_perm(Perm.REGISTER_BENEFICIARIES)
def card_reissue(request, center, pk):
    person = services.card_reissue(person=access_person(request, pk))
    messages.success(
        request,
        _("New card issued (version %(version)d). The old card no longer opens this record.")
        % {"version": person.card_version},
    )
    return redirect("beneficiaries:card", center=request.center.code, pk=person.pk)


@require_perm(Perm.VIEW_BENEFICIARIES)
def lookup(request, center):
    """Reception types a number or scans a card: open the record, or say why not."""
    form = LookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        try:
            person = selectors.beneficiary_for_scan(
                center=request.center, scanned=form.cleaned_data["number"]
            )
        except selectors.ScanRefused as refused:
            form.add_error("number", refused.message)
        else:
            return _to_profile(request, person)
    return render(request, "beneficiaries/lookup.html", {"form": form})


@require_perm(Perm.MERGE_BENEFICIARIES)
def merge(request, center, pk):
    survivor = access_person(request, pk)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["other_number"]
        other = selectors.beneficiary_for_number(center=request.center, number=number)
        elsewhere = None if other else selectors.beneficiary_anywhere_for_number(number=number)
        if elsewhere is not None and elsewhere.pk != survivor.pk:
            # The duplicate belongs to another centre: its manager decides (merge_requests).
            try:
                services.merge_request_create(survivor=survivor, other=elsewhere, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _(
                        "%(number)s belongs to %(centre)s: its centre manager has been asked to accept the merge."
                    )
                    % {"number": elsewhere.registration_number, "centre": elsewhere.center.code},
                )
                return _to_profile(request, survivor)
        elif other is None:
            form.add_error("other_number", _("No one with this number is registered at this centre."))
        else:
            try:
                services.beneficiary_merge(survivor=survivor, other=other, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("%(other)s was merged into %(survivor)s.")
                    % {"other": other.registration_number, "survivor": survivor.registration_number},
                )
                return _to_profile(request, survivor)
    return render(request, "beneficiaries/merge.html", {"person": survivor, "form": form})


@require_perm(Perm.MERGE_BENEFICIARIES)
def merge_requests(request, center):
    """Merges other centres ask of this one: a record here that is the same person as one of theirs."""
    pending = (
        MergeRequest.objects.in_center(request.center)
        .filter(status=MergeRequest.Status.REQUESTED)
        .select_related("survivor", "other", "from_center", "requested_by")
    )
    return render(request, "beneficiaries/merge_requests.html", {"pending": pending})


@require_POST
@require_perm(Perm.MERGE_BENEFICIARIES)
def merge_request_decide(request, center, pk, decision):
    merge_request = access_merge_request(request, pk)
    if decision not in {"accept", "decline"}:
        raise Http404
    try:
        services.merge_request_decide(
            merge_request=merge_request, by=request.user, accept=decision == "accept"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Merge accepted.") if decision == "accept" else _("Merge declined."))
    return redirect("beneficiaries:merge_requests", center=request.center.code)
