"""Settings for every environment, read from the environment.

One module on purpose: development, tests, CI and production differ only in the
environment variables listed in the README (`DATABASE_URL`, `REDIS_URL`, `DEBUG`, ...).
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


DEBUG = env_bool("DEBUG", False)
# pytest sets this by itself, so a bare `pytest` run never needs a SECRET_KEY.
TESTING = env_bool("TESTING", "pytest" in sys.modules)

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"
# Commands that only read the code (never sign, hash or serve anything) run without a key,
# so `manage.py makemigrations --check` works on a bare checkout.
_KEYLESS_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "makemessages", "compilemessages"}
_KEYLESS = len(sys.argv) > 1 and sys.argv[0].endswith("manage.py") and sys.argv[1] in _KEYLESS_COMMANDS
SECRET_KEY = env("SECRET_KEY", _DEV_SECRET if (DEBUG or TESTING or _KEYLESS) else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local run).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "marketplace.views.csrf_failure_view"
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sites",
    "djmoney",
    "django_countries",  # for its translations: country names in the page's language
    "csp",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "marketplace",
    "accounts",
    "notifications",
    "gigs",
    "escrow",
    "orders",
    "reviews",
    "messaging",
    "buyer_requests",
    "legal",
]
# Benchmark data and baseline pages (/bench/...): `make bench` sets this; production never does.
BENCH_BASELINES = env_bool("BENCH_BASELINES", False)
if BENCH_BASELINES:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    # First: every response (even a redirect or an error) is counted and carries the request id.
    "marketplace.metrics.MetricsMiddleware",
    "marketplace.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside sessions, CSRF and messages, to see every header they add (marketplace/httpcache.py).
    "marketplace.httpcache.SharedCacheHeadersMiddleware",
    # NUL and other control characters in addresses, queries and form fields: 400, before anything.
    "marketplace.requestguard.RejectControlCharactersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: it remembers the language of the pages a signed-in person reads.
    "accounts.middleware.LanguageMiddleware",
    "accounts.middleware.PresenceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last: a signed-in person who has not accepted a new binding version of the terms, the
    # privacy policy or the consent is sent to accept it (GET pages only; legal/middleware.py).
    "legal.middleware.LegalAcceptanceMiddleware",
]

# "Online" on cards and pages: seen within this many minutes; the time is written at most
# every PRESENCE_WRITE_SECONDS per person (accounts.presence).
ONLINE_WINDOW_MINUTES = env_int("ONLINE_WINDOW_MINUTES", 5)
PRESENCE_WRITE_SECONDS = 120

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
ASGI_APPLICATION = "marketplace.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.context_processors.site",
                "gigs.context_processors.categories",
                # The header's order and message counters, in one query.
                "messaging.context_processors.header_counts_context",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
# DATABASE_URL switches engines; the embedded default is a SQLite file whose
# writers take the lock at BEGIN (IMMEDIATE), so concurrent writes queue for up to
# `timeout` seconds instead of failing with "database is locked" halfway through.
_SQLITE_PATH = VAR_DIR / "db.sqlite3"
DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", f"sqlite:///{_SQLITE_PATH}"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    # A connection broken by a database restart is found at the next request and opened again.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if USING_POSTGRES:
    # A database host that does not answer fails the request in seconds (a 503 page), instead of
    # holding the web process until gunicorn's timeout kills it.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, sessions ---------------------------------------------------------
# Nothing in-process is a source of truth: allauth's rate limits and the sessions
# must be shared by every gunicorn process and Celery worker.
REDIS_URL = env("REDIS_URL")
if REDIS_URL and TESTING:
    # Tests flush their cache between cases: give them their own Redis database.
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(REDIS_URL)
    REDIS_URL = urlunsplit(_parts._replace(path="/" + env("TEST_REDIS_DB", "15")))
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, keeping its client between calls and failing soft: while
            # Redis does not answer, a read is a miss and a write is skipped (marketplace/cache.py).
            "BACKEND": "marketplace.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mp",
            # A frozen Redis costs one timeout per process every few seconds (the breaker), never a page.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "marketplace_cache",
        }
    }
# Each process's own copy of fragments (marketplace/fragments.py): a round trip to Redis
# costs 0.2-0.9 ms under load, a local read 10 µs. Their keys hold the content's timestamps
# and the generations kept in the shared cache, so a change made through any process is
# seen by the next request of every other one.
CACHES["local"] = {
    # LocMemCache that keeps nothing new while the shared cache (the generations) is unreachable.
    "BACKEND": "marketplace.cache.LocalCache",
    "LOCATION": "marketplace-local",
    "TIMEOUT": 30,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
# Sessions are rows in the database; with Redis they are read from the cache first (written
# to both), which takes a query off every signed-in request.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if REDIS_URL else "db")
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30

# --- auth ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's, with the profile read in the same query (accounts/backends.py).
    "accounts.backends.ProfileModelBackend",
    # Sessions made before the line above name this one.
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
SITE_ID = 1

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Sign-up asks for the consent 152-FZ requires (an unticked box linking the documents) and
# records the accepted versions with the new account (legal/forms.py).
ACCOUNT_FORMS = {"signup": "legal.forms.SignupForm"}
SOCIALACCOUNT_FORMS = {"signup": "legal.forms.SocialSignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Gigmarket] "
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_BLACKLIST = ["admin", "staff", "support", "settings", "accounts", "api", "root"]
# allauth's defaults are on; written out so the limits are visible and reviewed.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# A new social account is not created behind the person's back: they see the sign-up form
# (prefilled from the provider) with the consent box, as on email sign-up.
SOCIALACCOUNT_AUTO_SIGNUP = False


def _social_app(prefix: str, **extra) -> list[dict]:
    """A provider shows its button only when its keys are configured."""
    client_id = env(f"{prefix}_CLIENT_ID")
    secret = env(f"{prefix}_SECRET")
    if not (client_id and secret):
        return []
    return [{"client_id": client_id, "secret": secret, "key": env(f"{prefix}_KEY"), **extra}]


SOCIALACCOUNT_PROVIDERS = {
    "vk": {"APPS": _social_app("VK")},
    "yandex": {"APPS": _social_app("YANDEX")},
    "google": {"APPS": _social_app("GOOGLE"), "SCOPE": ["profile", "email"]},
    # Telegram's "client_id" is the bot's name and its "secret" the bot token.
    "telegram": {"APPS": _social_app("TELEGRAM")},
}
# Only a provider with keys is installed: the others have no log-in or callback address at
# all (404), where allauth would fail looking for their missing app (a 500).
INSTALLED_APPS += [
    f"allauth.socialaccount.providers.{name}" for name, provider in SOCIALACCOUNT_PROVIDERS.items() if provider["APPS"]
]

# --- languages -------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language is in the address (/en/...), never in a cookie: accounts/middleware.py.
TIME_ZONE = env("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

# --- static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Deliveries, attachments, requirement answers and request files: outside MEDIA_ROOT, so no
# public route or proxy can reach them (marketplace/uploads.py).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "marketplace.uploads.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Object storage (S3, MinIO, ...) instead of the disk: public media under `media/` of the
# bucket (public-read by the bucket's policy: no ACLs), private files under `private/` (or a
# bucket of their own) with no public access, handed out as short-lived signed URLs after the
# same access check (marketplace/uploads.py). Nothing set: the disk, as above.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
S3_ENDPOINT_URL = env("S3_ENDPOINT_URL")
S3_SIGNED_URL_SECONDS = env_int("S3_SIGNED_URL_SECONDS", 60)
if AWS_STORAGE_BUCKET_NAME:
    _s3 = {
        "endpoint_url": S3_ENDPOINT_URL or None,
        "region_name": env("AWS_S3_REGION_NAME") or None,
        "access_key": env("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
        "signature_version": "s3v4",
        "addressing_style": "path" if S3_ENDPOINT_URL else None,
        "default_acl": None,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": _s3
        | {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "location": "media",
            "querystring_auth": False,
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN") or None,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": _s3
        | {
            "bucket_name": env("AWS_PRIVATE_BUCKET_NAME") or AWS_STORAGE_BUCKET_NAME,
            # The names already begin with `private/` (orders/models.py and the others).
            "location": "",
            "querystring_auth": True,
            "querystring_expire": S3_SIGNED_URL_SECONDS,
        },
    }
# How long a shared cache (the nginx in front, a CDN) may keep a visitor's page; pages of
# signed-in people are never shared (marketplace/httpcache.py).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 10)
# Uploads above this size are refused before Pillow ever sees them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Public media (avatars, gig and portfolio images) are served by Django unless a proxy serves MEDIA_ROOT.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
AVATAR_MAX_BYTES = env_int("AVATAR_MAX_BYTES", 5 * 1024 * 1024)
AVATAR_MAX_PIXELS = 40_000_000  # a 6000x6000 photo is fine; a decompression bomb is not
AVATAR_SIZE = 400

# --- email ---------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The folder Django's file backend (django.core.mail.backends.filebased.EmailBackend) writes to.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Gigmarket <noreply@gigmarket.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", addr) for addr in env_list("ADMIN_EMAILS")]

# --- marketplace --------------------------------------------------------------------
MARKETPLACE_NAME = env("MARKETPLACE_NAME", "Gigmarket")
MARKETPLACE_CURRENCY = env("MARKETPLACE_CURRENCY", "RUB")
# Where people write about their personal data (access, correction, withdrawal of consent);
# the seeded privacy policy and consent name it (legal/seed.py).
LEGAL_CONTACT_EMAIL = env("LEGAL_CONTACT_EMAIL", "privacy@gigmarket.local")
CURRENCIES = (MARKETPLACE_CURRENCY,)
DEFAULT_CURRENCY = MARKETPLACE_CURRENCY

# --- catalog -------------------------------------------------------------------------
GIG_MIN_PRICE = env("GIG_MIN_PRICE", "500")
GIG_MAX_PRICE = "1000000"
GIG_MAX_IMAGES = 8
GIG_IMAGE_MAX_BYTES = env_int("GIG_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
GIG_IMAGE_MAX_PIXELS = 40_000_000
GIG_IMAGE_SIDE = 1600
GIG_THUMBNAIL_SIZE = (600, 400)
CATALOG_PAGE_SIZE = 24
# The search order (gigs/ranking.py): the quality score's weights and priors; what is not
# given here keeps the default written there.
SEARCH_RANKING = {
    "weights": {"rating": 0.35, "orders": 0.25, "on_time": 0.1, "completion": 0.1, "level": 0.1, "fresh": 0.1},
    "rating_prior": 4.0,  # the stars a gig with no review starts from
    "rating_confidence": 5,  # ... worth this many reviews
    "orders_full": 200,  # completed orders that count in full (log scale below)
    "rate_prior": 0.9,  # on-time and completion rate of a seller with no history
    "fresh_days": 30,  # a new gig's bonus fades out over these days
}
# Each group of words finds the others (a buyer's word and the one gigs write in the other language).
SEARCH_SYNONYMS = (
    ("логотип", "logo"),
    ("сайт", "website"),
    ("дизайн", "design"),
    ("перевод", "translation"),
    ("статья", "article"),
    ("баннер", "banner"),
    ("видео", "video"),
    ("бот", "bot"),
)

# --- orders ----------------------------------------------------------------------------
# A fraction is allowed for demos: ORDER_AUTOCOMPLETE_DAYS=0.002 completes in about 3 minutes.
ORDER_AUTOCOMPLETE_DAYS = float(env("ORDER_AUTOCOMPLETE_DAYS", "3"))
ORDER_PAYMENT_EXPIRY_HOURS = env_int("ORDER_PAYMENT_EXPIRY_HOURS", 24)
ORDER_FREE_CANCEL_MINUTES = 20
ORDER_MUTUAL_CANCEL_HOURS = 48
ORDER_MAX_QUANTITY = 10
# Offers from this total may be split into milestones (each funded and released on its own).
MILESTONES_MIN_TOTAL = env("MILESTONES_MIN_TOTAL", "30000")
MILESTONES_MAX = 5
ORDER_FILE_MAX_BYTES = env_int("ORDER_FILE_MAX_BYTES", 50 * 1024 * 1024)
ORDER_MAX_FILES = 10
# Never accepted as attachments: files that run when opened.
BLOCKED_FILE_EXTENSIONS = {
    "exe", "msi", "bat", "cmd", "com", "scr", "pif", "vbs", "vbe", "js", "jse", "wsf", "wsh", "ps1", "psm1",
    "jar", "apk", "app", "dmg", "sh", "reg", "lnk", "cpl", "hta", "dll", "sys", "iso",
}  # fmt: skip

# --- reviews and reputation ------------------------------------------------------------------
REVIEW_WINDOW_DAYS = 10  # each side has this long after completion; then whatever is in is shown
REVIEW_EDIT_HOURS = 24
# Seller levels: every criterion must hold. Rates are fractions of orders; "days" on the site.
SELLER_LEVEL_RULES = {
    "advanced": {"orders": 10, "rating": "4.6", "on_time": "0.90", "completion": "0.85", "days": 60},
    "professional": {"orders": 50, "rating": "4.8", "on_time": "0.95", "completion": "0.90", "days": 180},
}
# Buyer levels 1-5 at this many completed purchases.
BUYER_LEVEL_PURCHASES = [1, 7, 20, 50, 90]

# --- buyer requests and offers -------------------------------------------------------------
# Free offers a day by seller level; an offer the client never opened gives its place back.
REQUESTS_OFFER_QUOTAS = {"new": 5, "advanced": 10, "professional": 20}
REQUESTS_EXPIRY_DAYS = 30
REQUESTS_OFFER_RETURN_DAYS = 7
REQUESTS_MIN_BUDGET = "500"

# --- money: fees, clearance, payments, withdrawals ---------------------------------------
# Fee tiers over the turnover between one buyer and one seller, in MARKETPLACE_CURRENCY:
# 20% of the part up to 30 000, 12% of the part up to 300 000, 7.5% above (DESIGN.md).
ESCROW_FEE_TIERS = [("30000", "0.20"), ("300000", "0.12"), (None, "0.075")]
# Days a seller's earnings stay pending before they can be withdrawn (0: available at once).
ESCROW_CLEARANCE_DAYS = env_int("ESCROW_CLEARANCE_DAYS", 0)
WITHDRAWAL_MIN_AMOUNT = env("WITHDRAWAL_MIN_AMOUNT", "1000")
PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", "sandbox")
# A card top-up started from an order's payment page pays the order when its webhook arrives.
ESCROW_ORDER_PAYER = "orders.services.order_pay_after_top_up"
# The sandbox provider signs its webhooks with this key (HMAC-SHA256).
SANDBOX_WEBHOOK_SECRET = env("SANDBOX_WEBHOOK_SECRET", "sandbox-" + SECRET_KEY[:32])
SANDBOX_WEBHOOK_DELAY_SECONDS = 5  # the "slow" test card's webhook comes this late
SANDBOX_DUPLICATE_WEBHOOKS = True  # the sandbox delivers each event twice, as real providers may
# YooKassa (PAYMENT_PROVIDER=yookassa): the shop's id and secret key from its dashboard
# (Integration -> API keys); the address is only changed by the tests (a local fake server).
YOOKASSA_SHOP_ID = env("YOOKASSA_SHOP_ID")
YOOKASSA_SECRET_KEY = env("YOOKASSA_SECRET_KEY")
YOOKASSA_API_URL = env("YOOKASSA_API_URL", "https://api.yookassa.ru/v3")
# Notifications are accepted only from these networks: YooKassa's published ranges
# (https://yookassa.ru/developers/using-api/webhooks#ip). Behind a proxy, REMOTE_ADDR must be
# the client's address (nginx's real_ip / TRUSTED_PROXY_COUNT).
YOOKASSA_NOTIFICATION_IPS = env_list(
    "YOOKASSA_NOTIFICATION_IPS",
    "185.71.76.0/27,185.71.77.0/27,77.75.153.0/25,77.75.156.11/32,77.75.156.35/32,77.75.154.128/25,2a02:5180::/32",
)
# 54-FZ receipts ("Чеки от ЮKassa"): what each top-up's receipt line says. VAT code 1 is
# "без НДС"; subject "service", mode "full_prepayment" (money paid in advance for services).
YOOKASSA_RECEIPT_ITEM = env("YOOKASSA_RECEIPT_ITEM", "Пополнение баланса на маркетплейсе")
YOOKASSA_RECEIPT_VAT_CODE = env_int("YOOKASSA_RECEIPT_VAT_CODE", 1)
YOOKASSA_RECEIPT_PAYMENT_SUBJECT = env("YOOKASSA_RECEIPT_PAYMENT_SUBJECT", "service")
YOOKASSA_RECEIPT_PAYMENT_MODE = env("YOOKASSA_RECEIPT_PAYMENT_MODE", "full_prepayment")
YOOKASSA_RECEIPT_TAX_SYSTEM_CODE = env_int("YOOKASSA_RECEIPT_TAX_SYSTEM_CODE", 0)  # 0: not sent
YOOKASSA_TIMEOUT_SECONDS = env_int("YOOKASSA_TIMEOUT_SECONDS", 20)
YOOKASSA_ATTEMPTS = env_int("YOOKASSA_ATTEMPTS", 4)  # per call, on 429 / 5xx / no answer
YOOKASSA_RETRY_BACKOFF_SECONDS = float(env("YOOKASSA_RETRY_BACKOFF_SECONDS", "0.5"))
# Payouts (PAYOUT_PROVIDER=yookassa): the payout gateway's agent id and its own secret key.
PAYOUT_PROVIDER = env("PAYOUT_PROVIDER")  # "" : staff pay every withdrawal by hand
YOOKASSA_PAYOUT_AGENT_ID = env("YOOKASSA_PAYOUT_AGENT_ID")
YOOKASSA_PAYOUT_SECRET_KEY = env("YOOKASSA_PAYOUT_SECRET_KEY")
# Withdrawals up to this amount go out without a staff approval for sellers with a clean
# history (PAYOUT_AUTO_MIN_ORDERS completed orders, no dispute lost or open, no payout
# refused in PAYOUT_AUTO_CLEAN_DAYS). 0: every provider payout waits for staff.
PAYOUT_AUTO_MAX_AMOUNT = env("PAYOUT_AUTO_MAX_AMOUNT", "0")
# The most one seller gets without staff in 24 hours ("" : PAYOUT_AUTO_MAX_AMOUNT).
PAYOUT_AUTO_DAILY_MAX_AMOUNT = env("PAYOUT_AUTO_DAILY_MAX_AMOUNT", "")
PAYOUT_AUTO_MIN_ORDERS = env_int("PAYOUT_AUTO_MIN_ORDERS", 5)
PAYOUT_AUTO_CLEAN_DAYS = env_int("PAYOUT_AUTO_CLEAN_DAYS", 90)
ESCROW_SELLER_CLEAN = "orders.selectors.seller_clean_for_auto_payout"
# SBP payouts: the receiving banks offered when payouts are made by hand (with
# PAYOUT_PROVIDER=yookassa the payout gateway's own list is shown).
SBP_BANKS = [
    ("100000000111", "Сбербанк"),
    ("100000000004", "Т-Банк"),
    ("100000000008", "Альфа-Банк"),
    ("100000000005", "ВТБ"),
    ("100000000007", "Райффайзенбанк"),
]
# Fernet keys that encrypt payout details (card numbers, wallets) at rest, newest first: to
# rotate, put a new key in front, run `manage.py payout_details_rotate`, then drop the old one.
# A local run and the tests derive one from SECRET_KEY; production must set it (a system
# check stops `migrate` and `runserver` without it: escrow/checks.py).
PAYOUT_DETAILS_KEYS = env_list("PAYOUT_DETAILS_KEY")
PAYOUT_DETAILS_KEY_DERIVED = not PAYOUT_DETAILS_KEYS and (DEBUG or TESTING or _KEYLESS)
ESCROW_MAX_AMOUNT = "1000000000000"  # the largest single transfer: far above any order, far below overflow
WALLET_TOP_UP_MAX_AMOUNT = env("WALLET_TOP_UP_MAX_AMOUNT", "1000000")
WALLET_HISTORY_PAGE_SIZE = 20

# --- Celery -------------------------------------------------------------------------
# Without REDIS_URL the broker is a folder on disk: worker and beat still run and the
# timers still fire, with no server to install.
_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # A request must never hang on a dead broker: short socket timeouts, bounded retries.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": 2,
        "socket_connect_timeout": 1,
        "max_retries": 1,
        "visibility_timeout": 3600,
    }
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        # kombu's Redis transport with the fix in marketplace/broker.py (a worker losing
        # Redis mid-poll no longer dies on kombu's AttributeError).
        CELERY_BROKER_TRANSPORT = "marketplace.broker:Transport"
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers and beat wait out a broker outage however long it lasts (retrying every 2 to 30 s):
# with 3 retries a worker exited 14 s into a Redis restart and sent nothing once Redis was back
# (tests/chaos). Publishing from a request is bounded by CELERY_TASK_PUBLISH_RETRY_POLICY instead.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
# Tests run tasks in-process (emails land in the locmem outbox); the broker-down test turns it off.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", TESTING)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The one beat schedule. Timers are database rows; these sweeps find the due ones.
CELERY_BEAT_SCHEDULE = {
    "orders-sweep": {
        "task": "orders.tasks.orders_sweep",
        "schedule": 60.0,
    },
    "gig-views-flush": {
        "task": "gigs.tasks.gig_views_flush",
        "schedule": 60.0,
    },
    "search-terms-flush": {
        "task": "gigs.tasks.search_terms_flush",
        "schedule": 300.0,
    },
    "gig-scores-refresh": {
        # After the reputation refresh (02:15): the scores read the sellers' new stats.
        "task": "gigs.tasks.gig_scores_refresh_all",
        "schedule": crontab(hour=2, minute=45),
    },
    "escrow-clearance": {
        "task": "escrow.tasks.clearance_release_due",
        "schedule": 60.0,
    },
    "sandbox-webhooks": {
        "task": "escrow.tasks.sandbox_deliver_due_webhooks",
        "schedule": 60.0,
    },
    "provider-sync": {
        # Payments, returns to card and payouts whose notification never came: read them again.
        "task": "escrow.tasks.provider_sync",
        "schedule": 300.0,
    },
    "reviews-reveal": {
        "task": "reviews.tasks.reviews_reveal_due",
        "schedule": 300.0,
    },
    "reputation-refresh": {
        "task": "reviews.tasks.reputation_refresh",
        "schedule": crontab(hour=2, minute=15),
    },
    "messaging-emails": {
        "task": "messaging.tasks.message_emails_sweep",
        "schedule": 60.0,
    },
    "requests-sweep": {
        "task": "buyer_requests.tasks.requests_sweep",
        "schedule": 60.0,
    },
    "request-alerts": {
        "task": "buyer_requests.tasks.request_alerts_sweep",
        "schedule": 60.0,
    },
    "escrow-reconcile": {
        "task": "escrow.tasks.ledger_reconcile",
        "schedule": crontab(hour=3, minute=30),
    },
    "notifications-sweep": {
        "task": "notifications.tasks.notifications_sweep",
        "schedule": 60.0,
    },
    "notifications-delete-old": {
        "task": "notifications.tasks.notifications_delete_old",
        "schedule": crontab(hour=4, minute=30),
    },
    "clear-expired-sessions": {
        "task": "marketplace.tasks.clear_expired_sessions",
        "schedule": crontab(hour=4, minute=10),
    },
}
CELERY_BEAT_SWEEP_INTERVAL = timedelta(minutes=1)

# --- security -----------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Proxies whose X-Real-IP names the client (marketplace/clientip.py): nginx on this machine,
# or the compose network's range.
TRUSTED_PROXY_IPS = env_list("TRUSTED_PROXY_IPS", "127.0.0.1/32,::1/128")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$", r"^metrics$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if (DEBUG or TESTING) else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: no inline scripts; everything is served from our origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'", "https:"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if AWS_STORAGE_BUCKET_NAME:
    # Images (avatars, gig images, the previews of private images) then come from the store.
    from urllib.parse import urlsplit as _urlsplit

    _custom_domain = env("AWS_S3_CUSTOM_DOMAIN")
    _endpoint = _urlsplit(S3_ENDPOINT_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += [
        *([f"https://{_custom_domain}"] if _custom_domain else []),
        f"{_endpoint.scheme}://{_endpoint.netloc}" if S3_ENDPOINT_URL else "https://*.amazonaws.com",
    ]

# --- logging -------------------------------------------------------------------------
# Logs go to stderr: one JSON object a line in production (LOG_FORMAT=json, the default
# unless DEBUG or tests), plain text otherwise. Every line carries the request id
# (marketplace/requestid.py), also inside the Celery tasks a request queued.
LOG_FORMAT = env("LOG_FORMAT", "plain" if DEBUG or TESTING else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "marketplace.requestid.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "marketplace.requestid.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- operations: errors, metrics (README, "Health, errors, logs and metrics") ------------
# Errors go to Sentry only when SENTRY_DSN is set, scrubbed of personal data (marketplace/sentry.py).
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    from marketplace import sentry as _sentry

    _sentry.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        release=env("SENTRY_RELEASE"),
    )
# /metrics: with a token, only `Authorization: Bearer <token>`; without, only loopback and these addresses.
METRICS_TOKEN = env("METRICS_TOKEN")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS")
