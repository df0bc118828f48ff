from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.open311 import keys
from tongxin.open311.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Issuing a key here shows it once, in the message after saving; only its digest is kept."""

    list_display = ("name", "prefix", "per_minute", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    filter_horizontal = ("places",)
    actions = ("revoke",)

    def save_model(self, request, obj, form, change):
        if not change:
            raw = keys.give_secret(obj)
            messages.warning(request, _("The new key, shown only now: %(key)s") % {"key": raw})
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
