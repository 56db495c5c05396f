from django.contrib import admin

from centers.models import Center, Membership, Room


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "city", "status", "opened_on", "floors", "area_m2"]
    list_filter = ["status"]
    search_fields = ["code", "name", "city"]
    inlines = [RoomInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "center", "role", "created_at"]
    list_filter = ["role", "center"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "center"]
