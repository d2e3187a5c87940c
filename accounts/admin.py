from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccountEvent, PortfolioImage, PortfolioItem, Profile, User
from .services import portfolio_item_delete


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


class PortfolioImageInline(admin.TabularInline):
    model = PortfolioImage
    fields = ("image", "thumbnail", "position")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(PortfolioItem)
class PortfolioItemAdmin(admin.ModelAdmin):
    """Staff look at works and remove one that breaks the rules; the owner edits them."""

    list_display = ("title", "owner", "category", "gig", "position", "updated_at")
    search_fields = ("title", "owner__username", "owner__email")
    readonly_fields = ("owner", "title", "description", "category", "gig", "position", "created_at", "updated_at")
    inlines = [PortfolioImageInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Through the service: it keeps the owner's count and positions (the cap's constraint).
    def delete_model(self, request, obj):
        portfolio_item_delete(owner=obj.owner, item_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for item in queryset.select_related("owner"):
            portfolio_item_delete(owner=item.owner, item_id=item.pk)
