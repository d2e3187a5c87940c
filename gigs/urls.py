from django.urls import path

from . import views

app_name = "gigs"

urlpatterns = [
    path("catalog/", views.catalog_view, name="catalog"),
    path("search/suggest/", views.suggest_view, name="suggest"),
    path("recent/", views.recent_view, name="recent"),
    path("catalog/<slug:section_slug>/", views.catalog_view, name="section"),
    path("catalog/<slug:section_slug>/<slug:category_slug>/", views.catalog_view, name="category"),
    path("gig/<id:gig_id>/", views.gig_detail_view, name="detail_short"),
    path("gig/<id:gig_id>/<slug:slug>/", views.gig_detail_view, name="detail"),
    path("saved/", views.saved_view, name="saved"),
    path("saved/toggle/", views.favorite_toggle_view, name="favorite"),
    path("my/gigs/", views.dashboard_view, name="dashboard"),
    path("my/gigs/new/", views.gig_editor_view, name="create"),
    path("my/gigs/<id:gig_id>/edit/", views.gig_editor_view, name="edit"),
    path("my/gigs/<id:gig_id>/<slug:action>/", views.gig_action_view, name="action"),
]
