"""Signals beneficiaries sends for apps below it, which beneficiaries must not import."""

from django.dispatch import Signal

# Sent inside the merge's transaction, after the generic re-pointing: survivor=Beneficiary, other=Beneficiary.
# Receivers move what the generic rule leaves behind (one-to-one rows such as a contact preference);
# an error in a receiver rolls the whole merge back.
beneficiary_merged = Signal()
