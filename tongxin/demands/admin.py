from django.contrib import admin

from tongxin.demands.models import CannedReply, Category, Demand, DemandEvent, ErrandItem, QrCode, Referral


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "sensitive", "order", "active"]
    list_editable = ["order", "active"]


@admin.register(ErrandItem)
class ErrandItemAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "time_limit_days", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name", "office"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["text", "category", "place", "order", "active"]
    list_filter = ["category", "active"]
    list_editable = ["order", "active"]
    raw_id_fields = ["place"]


@admin.register(QrCode)
class QrCodeAdmin(admin.ModelAdmin):
    list_display = ["place", "token", "created_at"]
    raw_id_fields = ["place"]
    readonly_fields = ["token"]


class DemandEventInline(admin.TabularInline):
    model = DemandEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "from_state", "to_state", "actor", "actor_role", "note"]

    def has_add_permission(self, request, obj=None):
        return False


class ReferralInline(admin.TabularInline):
    model = Referral
    extra = 0
    can_delete = False
    readonly_fields = ["office", "contact", "reference", "note", "referred_by", "referred_at", "answer", "answered_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    """Read-only: the workflow changes demands (``demands.services``), with its timeline."""

    list_display = ["tracking_code", "category", "place", "state", "source", "created_at"]
    list_filter = ["state", "category", "source"]
    search_fields = ["tracking_code"]
    inlines = [DemandEventInline, ReferralInline]
    readonly_fields = [f.name for f in Demand._meta.fields if f.name != "reporter_phone"]
    exclude = ["reporter_phone"]  # personal: read on the workbench, masked

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
