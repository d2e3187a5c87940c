"""Baseline pages for the benchmarks, mounted at /bench/ only when BENCH_BASELINES=1."""

from django.urls import path

from gigs.views import catalog_view

from . import views

app_name = "bench"

urlpatterns = [
    path("hello", views.hello_view, name="hello"),
    # The real catalog without its result count: what the count costs is the difference.
    path("nocount/catalog/", catalog_view, {"show_count": False}, name="catalog_nocount"),
    path("nocount/catalog/<slug:section_slug>/", catalog_view, {"show_count": False}),
    path("nocount/catalog/<slug:section_slug>/<slug:category_slug>/", catalog_view, {"show_count": False}),
    # Raw-SQL twins: the same SQL as the page, through a cursor, with minimal rendering.
    path("raw/catalog/", views.raw_catalog_view, name="raw_catalog"),
    path("raw/catalog/<slug:section_slug>/", views.raw_catalog_view),
    path("raw/catalog/<slug:section_slug>/<slug:category_slug>/", views.raw_catalog_view),
    path("raw/gig/<id:gig_id>/<slug:slug>/", views.raw_gig_view, name="raw_gig"),
    path("raw/checkout/<id:gig_id>/", views.raw_checkout_view, name="raw_checkout"),
    path("raw/orders/<id:order_id>/pay/", views.raw_pay_view, name="raw_pay"),
]
