from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccountEvent, Profile, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ("display_name", "avatar", "headline", "bio", "skills", "languages", "country", "time_zone")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "email", "is_seller", "is_staff", "is_active", "date_joined", "last_login")
    list_filter = ("is_seller", "is_staff", "is_superuser", "is_active", "language")
    search_fields = ("username", "email", "profile__display_name")
    ordering = ("-date_joined",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Marketplace"), {"fields": ("language", "is_seller", "seller_since")}),
    )


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__email")
    readonly_fields = ("user", "kind", "data", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
