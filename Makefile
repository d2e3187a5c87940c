# The two commands: `make run` (set up and serve the site with demo data) and `make test`.
# Everything else here is what those two are made of.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.sha1(open('pyproject.toml','rb').read()).hexdigest()[:12])" 2>/dev/null)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test chaos lint check install messages migrate setup demo worker beat web proxy bench lighthouse clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Compiled with Babel (pure Python), so no system gettext is needed.
messages: install
	$(BIN)/pybabel compile -d locale -D django --statistics
	@for po in locale/*/LC_MESSAGES/django.po; do test -f "$${po%.po}.mo" || { echo "missing $${po%.po}.mo"; exit 1; }; done

migrate: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py createcachetable

setup: install messages migrate

demo: setup
	DEBUG=1 $(PY) manage.py seed_demo

run: demo
	@echo ""
	@echo "  The marketplace is at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "  Web server, Celery worker and beat run together; Ctrl+C stops all three."
	@echo ""
	PATH="$(abspath $(BIN)):$$PATH" DEBUG=1 HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho -f Procfile.dev start

web: setup
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

worker: setup
	DEBUG=1 $(BIN)/celery -A marketplace worker --loglevel=INFO --concurrency=2

beat: setup
	DEBUG=1 $(BIN)/celery -A marketplace beat --loglevel=INFO

# nginx (your system's package) in front of `make web`, with the configuration docker compose
# uses (deploy/nginx/): static and public media from disk, visitors' pages micro-cached.
PROXY_PORT ?= 8080
proxy: setup
	DEBUG=1 $(PY) manage.py collectstatic --noinput -v0
	$(PY) deploy/nginx/render.py --listen $(HOST):$(PROXY_PORT) --upstream $(HOST):$(PORT) > var/nginx-command
	@echo "  The proxy is at http://$(HOST):$(PROXY_PORT)/ in front of http://$(HOST):$(PORT)/ (run make web beside it)."
	sh var/nginx-command

test: messages
	TESTING=1 $(BIN)/pytest $(PYTEST_ARGS)

# Faults injected on purpose (tests/chaos/): the worker killed mid-sweep, PostgreSQL restarted
# under load, Redis stopped and frozen, a webhook while the database is down. It runs its own
# throwaway PostgreSQL and Redis on free ports (PostgreSQL's server binaries and redis-server
# must be installed), so the ones in DATABASE_URL and REDIS_URL are neither needed nor touched.
chaos: messages
	env -u DATABASE_URL -u REDIS_URL CHAOS=1 TESTING=1 $(BIN)/pytest tests/chaos -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

check: install
	DEBUG=0 TESTING=0 SECRET_KEY=check-deploy-8d3f1a0b7c6e5d4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b \
	  PAYOUT_DETAILS_KEY=Y2hlY2stZGVwbG95LW5vdC1hLXJlYWwta2V5LTAwMDA= \
	  ALLOWED_HOSTS=gigmarket.example CSRF_TRUSTED_ORIGINS=https://gigmarket.example \
	  $(PY) manage.py check --deploy --fail-level WARNING
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# Benchmarks against PostgreSQL and Redis (bench/README.md): seed once with
# `BENCH_BASELINES=1 DATABASE_URL=... manage.py bench_seed --size S`, then `make bench`.
BENCH_ARGS ?=
bench: messages
	$(PY) bench/run.py $(BENCH_ARGS)

# Lighthouse (mobile) on five pages, gunicorn with DEBUG=0 on the data of `make demo` (or
# DATABASE_URL): needs `npm install lighthouse` in LIGHTHOUSE_DIR, outside the repository, and
# Chromium (bench/README.md, "Lighthouse").
LIGHTHOUSE_DIR ?= $(abspath ../lighthouse)
LIGHTHOUSE_ARGS ?=
lighthouse: messages
	LIGHTHOUSE_DIR=$(LIGHTHOUSE_DIR) $(PY) bench/lighthouse.py $(LIGHTHOUSE_ARGS)

clean:
	rm -rf var/ .pytest_cache
