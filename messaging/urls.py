from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("messages/", views.inbox_view, name="inbox"),
    path("messages/settings/", views.settings_view, name="settings"),
    path("messages/unread/", views.unread_badge_view, name="unread_badge"),
    path("messages/check/", views.check_view, name="check"),
    path("messages/with/<str:username>/", views.start_view, name="start"),
    path("messages/order/<id:order_id>/", views.order_thread_view, name="order_thread"),
    path("messages/<id:pk>/", views.conversation_view, name="detail"),
    path("messages/<id:pk>/poll/", views.poll_view, name="poll"),
    path("messages/<id:pk>/older/", views.older_view, name="older"),
    path("messages/m/<id:pk>/", views.message_view, name="message"),
    path("messages/files/<id:pk>/", views.attachment_view, name="attachment"),
    path("messages/files/<id:pk>/thumb/", views.attachment_thumbnail_view, name="attachment_thumbnail"),
    path("messages/<id:pk>/offer/", views.custom_offer_send_view, name="offer_send"),
    path("messages/offers/<id:offer_id>/<slug:answer>/", views.custom_offer_answer_view, name="offer_answer"),
]
