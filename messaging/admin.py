"""Conversations and messages are read-only in admin: staff read them (the original text,
contacts included) to settle disputes and to review flagged messages; nobody edits them."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import Conversation, FlaggedMessage, Message


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _messages_url(conversation_id: int) -> str:
    return reverse("admin:messaging_message_changelist") + f"?conversation__id__exact={conversation_id}"


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ("id", "user_low", "user_high", "order_link", "last_message_at", "messages_link")
    list_select_related = ("user_low", "user_high", "order")
    search_fields = ("=id", "=order__id", "user_low__username", "user_high__username", "user_low__email",
                     "user_high__email")  # fmt: skip
    fields = ("user_low", "user_high", "order_link", "created_at", "last_message_at", "messages_link")
    readonly_fields = fields
    ordering = ("-last_message_at",)

    @admin.display(description=_("order"))
    def order_link(self, obj):
        if not obj.order_id:
            return "—"
        return format_html('<a href="{}">#{}</a>', reverse("admin:orders_order_change", args=[obj.order_id]),
                           obj.order_id)  # fmt: skip

    @admin.display(description=_("messages"))
    def messages_link(self, obj):
        return format_html('<a href="{}">{}</a>', _messages_url(obj.pk), _("Read the messages"))

    def get_urls(self):
        return [
            path(
                "order/<id:order_id>/",
                self.admin_site.admin_view(self.order_thread_view),
                name="messaging_conversation_for_order",
            ),
            *super().get_urls(),
        ]

    def order_thread_view(self, request, order_id):
        """The dispute and order pages link here: the order's thread, read-only."""
        if not self.has_view_permission(request):
            return redirect("admin:index")
        conversation = Conversation.objects.filter(order_id=order_id).first()
        if conversation is None:
            self.message_user(request, _("There are no messages about order #%(id)s.") % {"id": order_id},
                              messages.INFO)  # fmt: skip
            return redirect("admin:messaging_conversation_changelist")
        return redirect(_messages_url(conversation.pk))


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "sender_or_system", "conversation_link", "text", "flags", "files")
    list_filter = ("flagged", ("sender", admin.EmptyFieldListFilter))
    list_select_related = ("sender", "conversation", "order_event")
    search_fields = ("body", "sender__username", "=conversation__id", "=conversation__order__id")
    fields = ("conversation_link", "sender", "created_at", "body", "body_masked", "flags", "flagged", "gig",
              "system_kind", "files")  # fmt: skip
    readonly_fields = fields
    ordering = ("id",)
    list_per_page = 100

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("attachments")

    @admin.display(description=_("from"))
    def sender_or_system(self, obj):
        return obj.sender or _("system: %(kind)s") % {"kind": obj.system_kind}

    @admin.display(description=_("conversation"))
    def conversation_link(self, obj):
        label = f"#{obj.conversation_id}"
        if obj.conversation.order_id:
            label += " " + str(_("order #%(id)s") % {"id": obj.conversation.order_id})
        return format_html('<a href="{}">{}</a>', _messages_url(obj.conversation_id), label)

    @admin.display(description=_("text (original)"))
    def text(self, obj):
        return Truncator(obj.body).chars(300)

    @admin.display(description=_("files"))
    def files(self, obj):
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((reverse("messaging:attachment", args=[a.pk]), a.name)
                                           for a in obj.attachments.all())
        )  # fmt: skip


@admin.register(FlaggedMessage)
class FlaggedMessageAdmin(MessageAdmin):
    """Messages where contacts were found and hidden: the moderators' list."""

    list_filter = ()
    ordering = ("-id",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(flagged=True)
