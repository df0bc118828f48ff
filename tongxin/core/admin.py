"""The back office. Personal data is masked here too; ID numbers are never listed.

Fields that the rollup counters depend on (a household's place and tenure, where a
person lives, tags) are read-only here and rows cannot be added or deleted: those
changes go through ``core.services``, which keep the counters and the history.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tongxin.core import models, privacy
from tongxin.core.errors import RefusedError
from tongxin.core.services import places as place_services


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    ordering = ["phone"]
    list_display = ["phone", "name", "is_active", "is_staff"]
    search_fields = ["phone", "name"]
    raw_id_fields = ["person"]
    fieldsets = (
        (None, {"fields": ("phone", "password", "name", "email", "person")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("phone", "name", "password1", "password2")}),)


@admin.register(models.Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "depth"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    readonly_fields = ["path", "path_end", "depth"]
    raw_id_fields = ["parent"]

    def get_exclude(self, request, obj=None):
        return None if obj else ["retired_on"]  # a new place is not retired

    def get_readonly_fields(self, request, obj=None):
        # The parent of an existing place changes only by a move (paths, counters, history).
        return [*self.readonly_fields, "parent"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        try:
            created = place_services.create_place(
                parent=obj.parent, kind=obj.kind, code=obj.code, name=obj.name, address=obj.address
            )
        except RefusedError as refused:
            raise ValidationError(refused.message) from refused
        obj.pk, obj.path, obj.path_end, obj.depth = created.pk, created.path, created.path_end, created.depth

    def has_delete_permission(self, request, obj=None):
        return False  # retire a place (retired_on) instead; its history stays


@admin.register(models.GridCoverage)
class GridCoverageAdmin(admin.ModelAdmin):
    list_display = ["grid", "place", "valid_from", "valid_to"]
    raw_id_fields = ["grid", "place"]


class ServiceManagedAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Household)
class HouseholdAdmin(ServiceManagedAdmin):
    list_display = ["__str__", "floor_area", "tenure", "closed_on"]
    list_filter = ["tenure"]
    search_fields = ["unit_number", "place__name"]
    readonly_fields = ["place", "place_path", "tenure", "closed_on"]


@admin.register(models.Person)
class PersonAdmin(ServiceManagedAdmin):
    list_display = ["name", "masked_phone", "birth_date", "gender"]
    search_fields = ["name"]
    readonly_fields = ["household"]
    exclude = ["id_number_encrypted", "id_number_hash", "home_path", "phone"]

    @admin.display(description=_("phone"))
    def masked_phone(self, person):
        return privacy.mask_phone(person.phone)


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "subtype", "place", "started_on", "ended_on"]
    list_filter = ["kind", "is_temporary"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent", "place"]


@admin.register(models.RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "place", "organisation", "valid_from", "valid_to"]
    list_filter = ["role"]
    raw_id_fields = ["person", "place", "organisation"]


@admin.register(models.PersonalDataRead)
class PersonalDataReadAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "person", "fields", "context"]
    readonly_fields = ["at", "user", "person", "fields", "context"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Consent)
class ConsentAdmin(ServiceManagedAdmin):
    """Consent records are kept, never edited: withdrawing closes them (core.services)."""

    list_display = ["person", "tag", "given_by", "by_guardian", "given_on", "withdrawn_on"]
    list_filter = ["tag", "by_guardian"]
    readonly_fields = ["person", "tag", "given_by", "by_guardian", "given_on", "withdrawn_on", "recorded_by"]


class WebhookAttemptInline(admin.TabularInline):
    model = models.WebhookAttempt
    fk_name = "message"
    extra = 0
    readonly_fields = ["at", "status_code", "error", "duration_ms"]
    can_delete = False


@admin.register(models.OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The outbox: what was sent, what is waiting, what failed and why. Rows are written by
    ``core.outbox`` and changed only by the workers; "retry now" puts failed ones back in line."""

    list_display = ["created_at", "kind", "channel", "recipient", "subject", "status", "attempts", "next_attempt_at",
                    "short_error"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["event", "recipient", "subject", "delivery_id"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in models.OutboxMessage._meta.fields]
    inlines = [WebhookAttemptInline]
    actions = ["retry_now"]

    @admin.display(description=_("last error"))
    def short_error(self, message):
        return message.last_error[:80]

    @admin.action(description=_("Retry the selected notices now"))
    def retry_now(self, request, queryset):
        from django.utils import timezone

        from tongxin.core.outbox import queue_delivery

        count = queryset.exclude(status=models.OutboxStatus.DELIVERED).update(
            status=models.OutboxStatus.PENDING, next_attempt_at=timezone.now(), claimed_until=None
        )
        queue_delivery()
        self.message_user(request, _("%(count)d notices will be sent again.") % {"count": count})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.WebhookSubscriber)
class WebhookSubscriberAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "place", "active", "created_at"]
    list_filter = ["active"]
    raw_id_fields = ["place"]


@admin.register(models.WebhookAttempt)
class WebhookAttemptAdmin(admin.ModelAdmin):
    """The delivery log of every webhook POST."""

    list_display = ["at", "message", "status_code", "error", "duration_ms"]
    list_filter = ["status_code"]
    readonly_fields = ["message", "at", "status_code", "error", "duration_ms"]

    def has_add_permission(self, request):
        return False


@admin.register(models.PlaceNotice)
class PlaceNoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "place", "publish_at", "published_at", "expires_at", "withdrawn_at"]
    raw_id_fields = ["place"]
    readonly_fields = ["published_at", "withdrawn_at", "version", "created_by"]

    def has_add_permission(self, request):
        return False  # published from the place's page (core.place_notices), which schedules and notifies


@admin.register(models.CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Holidays and make-up working days: add each year's when the State Council publishes them."""

    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
