"""What messaging hears from the apps above it: consent withdrawn, a session cancelled or moved, a place
offered, two records merged. Services sends nothing to messaging by name (it may not import it); messaging listens."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from beneficiaries.models import CONTACT_SCOPE, Consent
from beneficiaries.signals import beneficiary_merged
from services.models import Session
from services.signals import places_offered

from . import services
from .models import ContactPreference


@receiver(post_save, sender=Consent, dispatch_uid="messaging-consent-withdrawn")
def consent_saved(sender, instance: Consent, **kwargs):
    # Whatever page withdrew it (the profile's edit, a merge, a STOP reply), queued messages stop at once.
    if instance.scope == CONTACT_SCOPE and not instance.is_active:
        services.messages_cancel_queued(person=instance.beneficiary, reason="consent withdrawn")


@receiver(pre_save, sender=Session, dispatch_uid="messaging-session-before")
def session_before(sender, instance: Session, **kwargs):
    if instance.pk:
        instance._messaging_old = (
            Session.objects.filter(pk=instance.pk).values("date", "starts_at", "is_cancelled").first()
        )


@receiver(post_save, sender=Session, dispatch_uid="messaging-session-after")
def session_after(sender, instance: Session, created: bool, **kwargs):
    old = getattr(instance, "_messaging_old", None)
    if created or not old or instance.date < timezone.localdate():
        return
    if instance.is_cancelled and not old["is_cancelled"]:
        services.session_notice(session=instance, template="session_cancelled")
    elif not instance.is_cancelled and (instance.date, instance.starts_at) != (old["date"], old["starts_at"]):
        services.session_notice(session=instance, template="session_moved", old_date=old["date"])


@receiver(places_offered, dispatch_uid="messaging-places-offered")
def places_were_offered(sender, enrollments, **kwargs):
    services.place_offered_notice(enrollments=enrollments)


@receiver(beneficiary_merged, dispatch_uid="messaging-beneficiary-merged")
def beneficiary_was_merged(sender, survivor, other, **kwargs):
    # The survivor keeps the channel and language it chose; without one, it takes the merged record's.
    if not ContactPreference.objects.filter(beneficiary=survivor).exists():
        for preference in ContactPreference.objects.filter(beneficiary=other):
            preference.beneficiary = survivor
            preference.save()  # a save, not update(): the audit trail records the move
