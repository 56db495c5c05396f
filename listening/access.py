"""Reaching outreach visits, interviews, their imports and feedback by id (centers.access)."""

from centers.access import get_scoped

from .models import Feedback, InterviewImport, NeedsInterview, OutreachVisit


def access_visit(request, pk) -> OutreachVisit:
    return get_scoped(OutreachVisit.objects.all(), center=request.center, pk=pk)


def access_interview(request, pk) -> NeedsInterview:
    return get_scoped(NeedsInterview.objects.all(), center=request.center, pk=pk)


def access_interview_import(request, pk) -> InterviewImport:
    return get_scoped(InterviewImport.objects.select_related("requested_by"), center=request.center, pk=pk)


def readable_feedback(request):
    """Feedback of the centre the user's roles may read (sensitive feedback only for some)."""
    return Feedback.objects.in_center(request.center).readable_with(request.center_perms)


def access_feedback(request, pk) -> Feedback:
    return get_scoped(
        readable_feedback(request).select_related("category", "beneficiary", "received_by", "closed_by"),
        center=request.center,
        pk=pk,
    )
