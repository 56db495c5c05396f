"""The REST API for partner and donor systems, built with Django REST framework.

Why DRF rather than django-ninja: the project is synchronous Django with server-rendered pages, and the API
needs per-client token authentication, scope permissions, throttling keyed on the client and cursor
pagination. DRF has each of these as a documented, pluggable class (BaseAuthentication, BasePermission,
SimpleRateThrottle, CursorPagination) that the tests can exercise one by one; django-ninja would need the
throttling and cursor pagination written here. drf-spectacular gives the OpenAPI 3 schema and serves Swagger
UI from local files (drf-spectacular-sidecar), and DRF is the framework the people who will maintain this most
likely know. Ninja's type-hint speed and async support buy nothing here: the endpoints are a handful, and every
one runs a few database queries.

Views are thin: they resolve the client's records through cases' selectors, call cases' services (the same
rules as the partner focal point's pages), and record every call (api.services.api_call_record).
"""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.authentication import ApiTokenAuthentication, ClientRateThrottle, HasScope
from api.models import ApiClient, Scope
from api.pagination import OldestFirstCursorPagination, StableCursorPagination
from api.serializers import (
    REACH_SCHEMA,
    ActivitySerializer,
    DeclineSerializer,
    OutcomeSerializer,
    ReferralSerializer,
    ServicePointSerializer,
)
from api.services import api_call_record
from audit import recorder
from audit.models import AuditEvent
from cases import selectors as case_selectors
from cases import services as case_services
from cases.models import Referral, ServiceType
from services.models import ServiceCategory


class ClientView:
    """Token authentication, scopes, throttling per client, and one ApiCall row per answered call.

    A view sets ``required_scope`` (or ``scopes_by_action``); it counts what it returns in ``records`` and
    the referrals (hence people) it returned in ``referral_ids``."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ClientRateThrottle]

    def initial(self, request, *args, **kwargs):
        self.records, self.referral_ids = 0, []
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        client = getattr(request, "_user", None)  # set once authentication ran; None when it failed
        if isinstance(client, ApiClient):
            ok = response.status_code < 400
            api_call_record(
                client=client,
                method=request.method,
                endpoint=request.resolver_match.view_name if request.resolver_match else "",
                path=request.get_full_path(),
                status_code=response.status_code,
                records=getattr(self, "records", 0) if ok else 0,
                referral_ids=getattr(self, "referral_ids", []) if ok else [],
                ip_address=recorder.client_ip(request),
            )
        return response


def _with_shared_data(referrals: list[Referral]) -> list[Referral]:
    """Attach what each referral may show of its person now (consent is read at every call)."""
    for referral in referrals:
        referral.shared = case_selectors.referral_shared_data(referral=referral)
    return referrals


# The statuses a partner sees (drafts and withdrawn referrals are not theirs to see).
PARTNER_STATUSES = [str(status) for status in case_selectors.PARTNER_VISIBLE]


@extend_schema(tags=["referrals"])
class ReferralViewSet(ClientView, viewsets.ReadOnlyModelViewSet):
    """Referrals addressed to the client's organisation (its partner), newest first: those a focal point of the
    organisation sees (cases.selectors.referrals_for_partner), so not drafts, not withdrawn ones, and none
    whose person withdrew consent to referral data sharing.

    Another organisation's referral answers 404, like one that does not exist."""

    serializer_class = ReferralSerializer
    pagination_class = StableCursorPagination
    scopes_by_action = {
        "list": Scope.REFERRALS_READ,
        "retrieve": Scope.REFERRALS_READ,
        "accept": Scope.REFERRALS_WRITE,
        "decline": Scope.REFERRALS_WRITE,
        "outcome": Scope.REFERRALS_WRITE,
    }

    def get_queryset(self):
        client = self.request.user
        if getattr(client, "partner_id", None) is None:
            return Referral.objects.none()
        referrals = case_selectors.referrals_for_partner(partner=client.partner).select_related(
            "case__center", "case__beneficiary"
        )
        wanted = self.request.query_params.get("status")
        if wanted:
            referrals = referrals.filter(status=wanted)
        return referrals

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=PARTNER_STATUSES, description="Only this status."
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        page = _with_shared_data(list(page))
        self._count(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        description="One referral addressed to the organisation; another organisation's answers 404."
    )
    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    def _count(self, referrals: Sequence[Referral]) -> None:
        self.records = len(referrals)
        self.referral_ids = [
            r.pk for r in referrals
        ]  # each says a person was referred, even with no field shared

    def _answer(self, referral: Referral, status_code: int = status.HTTP_200_OK) -> Response:
        referral = _with_shared_data([referral])[0]
        self._count([referral])
        return Response(self.get_serializer(referral).data, status=status_code)

    def _act(self, name: str, service, **arguments) -> Response:
        referral = self.get_object()
        try:
            referral = service(referral=referral, by=None, via=Referral.AnsweredVia.API, **arguments)
        except case_services.ReferralNotOpen as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        # The model's own audit event has no actor (a system, not a user, answered): say which one.
        recorder.record(
            AuditEvent.Action.UPDATE,
            obj=referral,
            object_type="cases.referral",
            center_id=referral.case.center_id,
            username=f"api:{self.request.user.name}"[:150],
            detail={"via": "api", "api_client": self.request.user.pk, "action": name},
        )
        return self._answer(
            Referral.objects.select_related("case__center", "case__beneficiary").get(pk=referral.pk)
        )

    @extend_schema(
        request=None,
        responses={
            200: ReferralSerializer,
            409: OpenApiResponse(description="The referral is not open to this."),
        },
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The organisation takes the referral (it was sent)."""
        return self._act("accept", case_services.referral_accept)

    @extend_schema(
        request=DeclineSerializer,
        responses={
            200: ReferralSerializer,
            409: OpenApiResponse(description="The referral is not open to this."),
        },
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The organisation cannot take the referral, and says why."""
        data = DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act("decline", case_services.referral_decline, reason=data.validated_data["reason"])

    @extend_schema(
        request=OutcomeSerializer,
        responses={
            200: ReferralSerializer,
            409: OpenApiResponse(description="The referral is not open to this."),
        },
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        """The service was given (the referral was accepted): the day, and a note for the caseworker."""
        data = OutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(
            "outcome",
            case_services.referral_record_outcome,
            given_on=data.validated_data["given_on"],
            note=data.validated_data["note"],
        )


def _month(text: str | None) -> dt.date:
    try:
        return dt.datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        raise serializers.ValidationError({"month": "A month as YYYY-MM, e.g. 2026-10."}) from None


@extend_schema(tags=["reports"])
class MonthlyReachView(ClientView, APIView):
    """People reached in a month, per centre and nationally: the figures of the monthly report, small counts
    suppressed as there, keyed by HXL hashtags. Aggregates only: no person."""

    required_scope = Scope.REPORTS_READ

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "month", OpenApiTypes.STR, required=True, description="A closed month, YYYY-MM."
            ),
            OpenApiParameter("center", OpenApiTypes.STR, description="A centre's code: only its rows."),
        ],
        responses={
            200: REACH_SCHEMA,
            404: OpenApiResponse(description="No such centre in the month's report."),
        },
    )
    def get(self, request):
        month = _month(request.query_params.get("month"))
        try:
            data, run = selectors.monthly_report_data(month=month, today=timezone.localdate())
        except selectors.MonthNotClosed:
            raise serializers.ValidationError(
                {"month": "The month is not over: it has no report yet."}
            ) from None
        center = request.query_params.get("center") or None
        rows = selectors.reach_rows(data=data, center_code=center)
        if center and not rows["totals"] and not rows["registrations"]:
            raise Http404
        self.records = len(rows["totals"]) + len(rows["disaggregated"]) + len(rows["registrations"])
        return Response({**rows, "report": run.pk if run else None})


@extend_schema(
    tags=["directory"],
    parameters=[
        OpenApiParameter("center", OpenApiTypes.STR, description="A centre's code."),
        OpenApiParameter("category", OpenApiTypes.STR, enum=ServiceCategory.Code.values),
    ],
)
class ActivityListView(ClientView, generics.ListAPIView):
    """The activity catalogue: courses and activities of the centres, their category and weekly times."""

    required_scope = Scope.DIRECTORY_READ
    serializer_class = ActivitySerializer
    pagination_class = OldestFirstCursorPagination

    def get_queryset(self):
        activities = selectors.activity_catalogue()
        if center := self.request.query_params.get("center"):
            activities = activities.filter(center__code=center)
        if category := self.request.query_params.get("category"):
            activities = activities.filter(category__code=category)
        return activities

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self.records = len(response.data["results"])
        return response


@extend_schema(
    tags=["directory"],
    parameters=[
        OpenApiParameter("service_type", OpenApiTypes.STR, enum=ServiceType.values),
        OpenApiParameter("city", OpenApiTypes.STR),
        OpenApiParameter("district", OpenApiTypes.STR),
    ],
)
class ServicePointListView(ClientView, generics.ListAPIView):
    """The service directory: partners' active service points, what they offer, where and how to refer."""

    required_scope = Scope.DIRECTORY_READ
    serializer_class = ServicePointSerializer
    pagination_class = OldestFirstCursorPagination

    def get_queryset(self):
        params = self.request.query_params
        kind = params.get("service_type", "")
        if kind and kind not in ServiceType.values:
            raise serializers.ValidationError({"service_type": "Unknown service type."})
        # The directory social workers search, with the same filters.
        return case_selectors.service_points(
            service_type=kind, district=params.get("district", ""), city=params.get("city", "")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self.records = len(response.data["results"])
        return response
