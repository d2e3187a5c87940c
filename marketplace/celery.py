"""The Celery app. Configuration lives in settings (CELERY_*); tasks are found in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id travels from the request that queued a task into the worker's log lines.
from . import requestid  # noqa: E402, F401
