"""Referral events other apps listen to (the API's webhooks): sent with ``referral=`` once the action is committed."""

from django.dispatch import Signal

#: A referral left the centre for its partner (it was a draft). Sender: Referral.
referral_sent = Signal()
#: A referral the partner had received was withdrawn by the centre. Sender: Referral.
referral_withdrawn = Signal()
