from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "recipient", "kind", "created_at", "read_at", "email_pending"]
    list_filter = ["kind"]
    search_fields = ["recipient__email", "recipient__username"]
    raw_id_fields = ["recipient", "actor"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
