from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("u/<str:username>/", views.profile_detail_view, name="profile"),
    path("settings/", views.settings_profile_view, name="settings"),
    path("settings/selling/", views.selling_switch_view, name="selling"),
]
