"""The access log is part of what a person may ask for: who opened their record. The audit trail names records
by type and id and lists changed field names, never values, so erasing a person never needs to touch it."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalData, declare, not_personal

declare(
    PersonalData(
        model="audit.AccessLog",
        section="who_opened_the_record",
        title=_("Who opened the record"),
        order=90,
        export_exclude=("ip_address",),
        keeps="append-only: who opened the record stays, with no words about the person",
    )
)
not_personal(
    "audit.AuditEvent", reason="names records by type and id and changed fields by name, never values"
)
