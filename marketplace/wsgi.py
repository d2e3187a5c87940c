import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
application = get_wsgi_application()

from marketplace.gcfreeze import freeze_after_warm_up  # noqa: E402 - after Django is set up

freeze_after_warm_up()
