from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("u/<str:username>/", views.profile_detail_view, name="profile"),
    path("settings/", views.settings_profile_view, name="settings"),
    path("settings/selling/", views.selling_switch_view, name="selling"),
    path("settings/vacation/", views.settings_vacation_view, name="vacation"),
    path("settings/portfolio/", views.portfolio_list_view, name="portfolio"),
    path("settings/portfolio/new/", views.portfolio_editor_view, name="portfolio_create"),
    path("settings/portfolio/<id:item_id>/", views.portfolio_editor_view, name="portfolio_edit"),
    path("settings/portfolio/<id:item_id>/delete/", views.portfolio_delete_view, name="portfolio_delete"),
    path("settings/portfolio/<id:item_id>/move/", views.portfolio_move_view, name="portfolio_move"),
]
