from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.errors import DomainError

from .models import LegalAcceptance, LegalDocument
from .services import legal_document_publish, legal_document_save_draft

EDITABLE = ("kind", "requires_acceptance", "title_ru", "title_en", "body_ru", "body_en", "changes_ru", "changes_en")
COPIED = EDITABLE[1:]


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    """Staff write a new version as a draft ("Add": it starts from the current text of its kind),
    check it on the site, then publish it with the action. A published version is read-only:
    people accepted exactly that text."""

    list_display = ("__str__", "kind", "version", "title_ru", "requires_acceptance", "published_at", "page")
    list_filter = ("kind", "requires_acceptance")
    ordering = ("kind", "-published_at", "-id")
    actions = ["publish"]
    fields = (*EDITABLE, "version", "published_at", "published_by", "created_by", "created_at")

    def get_readonly_fields(self, request, obj=None):
        base = ["version", "published_at", "published_by", "created_by", "created_at"]
        return [*EDITABLE, *base] if obj is not None and obj.is_published else base

    def has_change_permission(self, request, obj=None):
        # A published version opens read-only.
        return (obj is None or not obj.is_published) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A draft may be thrown away; a published version (and what people accepted) stays.
        return obj is not None and not obj.is_published and super().has_delete_permission(request, obj)

    def get_changeform_initial_data(self, request):
        """A new version starts from the current text of its kind (?kind=terms), or of the
        version it copies (?copy=<id>)."""
        initial = super().get_changeform_initial_data(request)
        source = None
        copy = request.GET.get("copy", "")
        if copy.isdigit() and len(copy) < 19:
            source = LegalDocument.objects.filter(pk=int(copy)).first()
        elif initial.get("kind") in LegalDocument.Kind.values:
            source = (
                LegalDocument.objects.filter(kind=initial["kind"], published_at__isnull=False)
                .order_by("-version")
                .first()
            )
        if source is not None:
            initial.update({"kind": source.kind, **{name: getattr(source, name) for name in COPIED}})
            initial["changes_ru"] = initial["changes_en"] = ""
        return initial

    def save_model(self, request, obj, form, change):
        legal_document_save_draft(document=obj, actor=request.user)

    @admin.display(description=_("page"))
    def page(self, obj):
        if not obj.is_published:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="add/?copy={}">{}</a>',
            obj.get_absolute_url(),
            _("open"),
            obj.pk,
            _("new version from this"),
        )

    @admin.action(description=_("Publish the selected drafts as new versions"))
    def publish(self, request, queryset):
        published = 0
        for document in queryset.order_by("id"):
            try:
                legal_document_publish(document_id=document.pk, actor=request.user)
                published += 1
            except DomainError as error:
                self.message_user(request, f"{document}: {error.message}", messages.ERROR)
        if published:
            message = ngettext("%(n)s version published.", "%(n)s versions published.", published)
            self.message_user(request, message % {"n": published}, messages.SUCCESS)


@admin.register(LegalAcceptance)
class LegalAcceptanceAdmin(admin.ModelAdmin):
    """The record of who accepted which version, when and from where. Nobody edits it."""

    list_display = ("user", "document", "accepted_at", "ip_address", "source")
    list_filter = ("source", "document__kind")
    search_fields = ("user__email", "user__username", "ip_address")
    list_select_related = ("user", "document")
    date_hierarchy = "accepted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
