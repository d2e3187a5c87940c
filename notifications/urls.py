from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notifications_view, name="list"),
    path("notifications/read/", views.notifications_read_all_view, name="read_all"),
    path("notifications/<id:pk>/", views.notification_open_view, name="open"),
    path("settings/notifications/", views.notification_settings_view, name="settings"),
]
