from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from . import views

# Staff sign in through the same allauth log-in (rate limits, verification) as everyone.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = settings.MARKETPLACE_NAME
admin.site.site_title = settings.MARKETPLACE_NAME

# A database that cannot be reached answers 503 with Retry-After; other errors the 500 page.
handler500 = "marketplace.views.server_error_view"

# Not pages: the same in every language.
urlpatterns = [
    path("healthz", views.healthz_view, name="healthz"),
    path("healthz/live", views.healthz_live_view, name="healthz_live"),
    path("healthz/ready", views.healthz_ready_view, name="healthz_ready"),
    path("metrics", views.metrics_view, name="metrics"),
]

if settings.BENCH_BASELINES:
    # Baselines for `make bench` (bench/README.md); production never sets the flag.
    urlpatterns += [path("bench/", include("bench.urls"))]

if settings.SERVE_MEDIA:
    # Public media only (avatars, gig and portfolio images): private files go through access-checked views.
    urlpatterns += [re_path(r"^media/(?P<folder>avatars|gigs|portfolio)/(?P<path>.+)$", views.public_media_view)]

# Pages: Russian at /..., English at /en/... The language is in the address, so a page's
# address alone says what it shows a visitor, and any cache can keep it (README, "What is cached").
urlpatterns += i18n_patterns(
    path("", views.home_view, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("reviews.urls")),  # before gigs: /gig/<id>/reviews/ is not a slug
    path("", include("gigs.urls")),
    path("", include("messaging.urls")),
    path("", include("buyer_requests.urls")),
    path("", include("orders.urls")),
    path("", include("escrow.urls")),
    path("", include("legal.urls")),
    path("", include("notifications.urls")),
    prefix_default_language=False,
)
