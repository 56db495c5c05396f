from django.contrib import admin

from beneficiaries.models import RegistrationCounter

# People's records are not edited in the admin: every change goes through the
# scoped pages, which keep history and consent. Only the counters are shown,
# read-only, to explain a registration number.


@admin.register(RegistrationCounter)
class RegistrationCounterAdmin(admin.ModelAdmin):
    list_display = ["center", "year", "last"]
    readonly_fields = ["center", "year", "last"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
