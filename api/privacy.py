"""The API app holds no one's data: clients are organisations' systems, calls name referrals by id, and webhook
payloads carry ids and states only (api/webhooks.py)."""

from core.personal_data import not_personal

not_personal("api.ApiClient", reason="an organisation's system and its scopes")
not_personal("api.ApiToken", reason="a token's prefix and the hash of its secret")
not_personal("api.ApiCall", reason="which client called which endpoint; referrals by id only")
not_personal("api.Webhook", reason="a partner system's URL and its signing secret")
not_personal("api.WebhookDelivery", reason="an event about a referral: ids and states, no person")
