# CQĐT Portal — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test format worker serve install clean bench loadtest

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

## From an empty checkout to the portal with reference data and demo accounts, on SQLite.
run: install
	$(PY) manage.py migrate --noinput
	@# The demo's history is written on the pilot's map, then the 2025 reorganisations hand over what was
	@# left open, then today's demo accounts and task: each step idempotent.
	$(PY) manage.py seed --until 2024-12-31
	$(PY) manage.py seed_demo
	$(PY) manage.py seed
	$(PY) manage.py seed_demo
	@echo "CQĐT Portal: http://$(HOST)/  (demo accounts: see README.md)"
	SITE_URL=$${SITE_URL:-http://$(HOST)} $(PY) manage.py runserver $(HOST)

## Lint, then the whole suite (SQLite by default; DATABASE_URL/REDIS_URL choose the real services).
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Production mode: gunicorn + whitenoise, DEBUG off. Needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL
## (PostgreSQL) and REDIS_URL in the environment; TLS is expected in front (HTTPS=false for a plain-http trial).
## Refuses to start on any `check --deploy` warning (a weak SECRET_KEY, no HTTPS settings…).
serve: install
	DEBUG=false $(PY) manage.py check --deploy --fail-level WARNING
	DEBUG=false $(PY) manage.py migrate --noinput
	DEBUG=false $(PY) manage.py collectstatic --noinput --verbosity 0
	DEBUG=false $(VENV)/bin/gunicorn cqdt_portal.wsgi --workers $${WEB_WORKERS:-2} --bind $(HOST) \
		--access-logfile - --timeout 60

## Celery worker with the beat scheduler embedded (Redis from REDIS_URL).
worker: install
	SITE_URL=$${SITE_URL:-http://$(HOST)} $(VENV)/bin/celery -A cqdt_portal worker --beat --loglevel=INFO

## Benchmarks on PostgreSQL (databases cqdt_bench_*; BENCH_PG, BENCH_SCALES="S M", BENCH_REFRESH=1):
## prints a table and writes docs/benchmarks.md. Installs wrk (Debian) when missing.
bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache

## Bounded load test on PostgreSQL (scale M): 50 connections for 60 s with zero errors, then a PostgreSQL
## restart under load that must lose no committed report. Writes docs/benchmarks.md ("Load test").
loadtest: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/loadtest.py
