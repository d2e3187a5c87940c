from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from . import views

# Staff sign in through the same allauth log-in (rate limits, verification) as everyone.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = settings.MARKETPLACE_NAME
admin.site.site_title = settings.MARKETPLACE_NAME

urlpatterns = [
    path("", views.home_view, name="home"),
    path("healthz", views.healthz_view, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("reviews.urls")),  # before gigs: /gig/<id>/reviews/ is not a slug
    path("", include("gigs.urls")),
    path("", include("messaging.urls")),
    path("", include("buyer_requests.urls")),
    path("", include("orders.urls")),
    path("", include("escrow.urls")),
]

if settings.BENCH_BASELINES:
    # Baselines for `make bench` (bench/README.md); production never sets the flag.
    urlpatterns += [path("bench/", include("bench.urls"))]

if settings.SERVE_MEDIA:
    # Public media only (avatars, gig images): private files go through access-checked views.
    urlpatterns += [
        re_path(r"^media/(?P<path>(avatars|gigs)/.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
