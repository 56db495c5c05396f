"""Superusers keep API clients, revoke tokens and register webhooks here. A token's secret is never stored, so
it is never shown: a new token is made with ``manage.py create_api_token``."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api import services
from api.models import ApiCall, ApiClient, ApiToken, Webhook, WebhookDelivery


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    can_delete = False
    fields = ["prefix", "created", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "created", "last_used_at"]

    def has_add_permission(self, request, obj=None):
        return False  # the command prints the token once; the admin could not show it


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "scopes", "is_active", "created"]
    list_filter = ["is_active"]
    search_fields = ["name", "partner__name"]
    inlines = [ApiTokenInline]


@admin.action(description=_("Revoke the selected tokens"))
def revoke(modeladmin, request, queryset):
    n = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    modeladmin.message_user(
        request, ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", n) % {"n": n}, messages.SUCCESS
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["__str__", "client", "created", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["client"]
    fields = ["client", "prefix", "created", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["client", "prefix", "created", "last_used_at"]
    actions = [revoke]

    def has_add_permission(self, request):
        return False


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["client", "url", "events", "is_active", "created"]
    list_filter = ["is_active"]
    readonly_fields = ["secret"]

    def save_model(self, request, obj, form, change):
        if not obj.secret:
            obj.secret = services.new_webhook_secret()
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "webhook", "center", "status", "attempts", "last_status_code"]
    list_filter = ["status", "event", "center"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = ["at", "client", "method", "endpoint", "status_code", "records"]
    list_filter = ["client", "endpoint", "status_code"]
    readonly_fields = [f.name for f in ApiCall._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
