"""What the API shows and accepts. Referrals carry a person only through cases.selectors.referral_shared_data:
the fields the referral chose, while the person's consent to referral data sharing holds."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import REFERRAL_FIELDS, Referral, ServicePoint, ServiceType
from services.models import Activity, ActivitySlot


@extend_schema_field(
    {
        "type": "object",
        "description": "Only the fields the referral shares, and only while the person's consent to referral "
        "data sharing holds: empty once it is withdrawn.",
        "properties": {name: {"type": "string"} for name in REFERRAL_FIELDS},
        "additionalProperties": False,
    }
)
class PersonField(serializers.Field):
    def to_representation(self, value):
        return value


class ReferralSerializer(serializers.ModelSerializer):
    center = serializers.CharField(
        source="case.center.code", read_only=True, help_text="The referring centre."
    )
    person = PersonField(source="shared", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "status",
            "urgency",
            "service_type",
            "service_point",
            "center",
            "reason",
            "person",
            "sent_on",
            "answered_on",
            "appointment_at",
            "decline_reason",
            "service_given_on",
            "outcome_note",
            "completed_on",
        ]
        read_only_fields = fields


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why the organisation cannot take the referral.")


class OutcomeSerializer(serializers.Serializer):
    given_on = serializers.DateField(help_text="The day the service was given.")
    note = serializers.CharField(
        max_length=2000, allow_blank=True, required=False, default="", help_text="A note for the caseworker."
    )


class SlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivitySlot
        fields = ["weekday", "starts_at", "ends_at"]


class ActivitySerializer(serializers.ModelSerializer):
    center = serializers.CharField(source="center.code")
    category = serializers.CharField(source="category.code")
    slots = SlotSerializer(many=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "center",
            "category",
            "name",
            "kind",
            "starts_on",
            "ends_on",
            "min_age",
            "max_age",
            "target_sex",
            "capacity",
            "needs_enrolment",
            "need",
            "slots",
        ]
        read_only_fields = fields


class ServicePointSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="partner.name")
    service_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceType.choices), help_text="Service types offered."
    )
    languages = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = ServicePoint
        fields = ["id", "organisation", *ServicePoint.DETAILS]
        read_only_fields = fields


def _hxl(properties: dict) -> dict:
    return {"type": "object", "properties": properties}


_PLACE = {
    "#date+month": {"type": "string", "example": "2026-10"},
    "#adm1+name": {"type": "string", "nullable": True, "example": "Ankara"},
    "#org+centre": {
        "type": "string",
        "description": "The centre's code; * for all centres (a person once).",
        "example": "ANK",
    },
}
_PEOPLE = {
    "oneOf": [{"type": "integer"}, {"type": "string", "example": "<5"}],
    "description": "People reached; a count from 1 to threshold − 1 is shown as “<threshold”, as in the report.",
}
REACH_SCHEMA = {
    "type": "object",
    "properties": {
        "month": {"type": "string", "example": "2026-10"},
        "threshold": {"type": "integer", "example": 5},
        "report": {
            "type": "integer",
            "nullable": True,
            "description": "The report build the figures come from; null when counted now (no build yet).",
        },
        "totals": {
            "type": "array",
            "items": _hxl(
                {
                    **_PLACE,
                    "#sector+code": {"type": "string", "description": "Service category A–F; * for all."},
                    "#reached+ind": _PEOPLE,
                    "#activity+contacts+num": {"type": "integer"},
                }
            ),
        },
        "disaggregated": {
            "type": "array",
            "items": _hxl(
                {
                    **_PLACE,
                    "#sector+code": {"type": "string"},
                    "#meta+sex": {"type": "string", "enum": ["female", "male", "unknown"]},
                    "#meta+age": {"type": "string", "enum": ["0-4", "5-11", "12-17", "18-59", "60+"]},
                    "#population+group": {"type": "string", "enum": ["migrant", "host"]},
                    "#reached+ind": _PEOPLE,
                }
            ),
        },
        "registrations": {
            "type": "array",
            "items": _hxl({**_PLACE, "#affected+registered+num": {"type": "integer"}}),
        },
    },
}
