FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var
WORKDIR /app

COPY pyproject.toml README.md ./
COPY marketplace/__init__.py marketplace/__init__.py
RUN pip install --upgrade pip && pip install -e . && rm -rf /root/.cache

COPY . .
RUN pybabel compile -d locale -D django \
 && DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
 && useradd --create-home --uid 10001 app && mkdir -p /app/var/media /app/var/private /srv/static && chown -R app /app/var /srv/static

USER app
EXPOSE 8000
CMD ["gunicorn", "marketplace.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
