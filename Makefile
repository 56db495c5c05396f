# Two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test install wheelhouse image stack-up stack-down backup restore loadtest migrate demo serve worker beat lint security format messages compilemessages check-deploy bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

serve:
	$(PY) manage.py runserver 127.0.0.1:8000

## Set up everything and serve the demo on http://127.0.0.1:8000 (SQLite, in-process tasks).
run: demo serve

## The whole test suite (SQLite by default; PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set).
test: install
	test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## Celery worker and beat, for DATABASE_URL + REDIS_URL set-ups.
worker: install
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=INFO

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## Static security checks (bandit, medium and above) and known vulnerabilities in the pinned packages.
## SQL built from strings (B608) is checked by ruff's S608 instead, with its reviewed exceptions in ruff.toml.
security: install
	$(VENV)/bin/bandit -q -r config core centers accounts audit beneficiaries services cases documents listening finance messaging reports planning privacy api demo -x '*/tests/*,*/migrations/*' \
		--severity-level medium --skip B608
	.ci/pip-audit

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Refresh the translation catalogues after changing strings (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DEBUG=0 SECRET_KEY=$${SECRET_KEY:-check-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-toplum.example.org} $(PY) manage.py check --deploy --fail-level WARNING

## Duplicate check and name search at 100k and 1M people, then the monthly report and the dashboard
## at 20 centres / 1M people / 10M contacts, on PostgreSQL (a database of its own; ~10 minutes).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/toplum_bench
bench: install
	$(PY) -c 'import sys, psycopg2; from urllib.parse import urlparse; u = urlparse(sys.argv[1]); \
	c = psycopg2.connect(host=u.hostname, port=u.port or 5432, user=u.username, password=u.password, dbname="postgres"); \
	c.autocommit = True; cur = c.cursor(); cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [u.path[1:]]); \
	cur.fetchone() or cur.execute("CREATE DATABASE " + u.path[1:])' "$(BENCH_DATABASE_URL)"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_registration $(BENCH_ARGS)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_reports $(BENCH_REPORT_ARGS)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_import $(BENCH_IMPORT_ARGS)

## The container image (Dockerfile): Python packages from a wheelhouse built here, never from PyPI at build time.
wheelhouse: install
	mkdir -p docker/wheelhouse
	@# Markers are dropped: the image's Python (Debian 12's 3.11.2) may need what this one does not.
	sed 's/ *;.*//' requirements.txt > docker/wheelhouse/requirements.tmp
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir docker/wheelhouse -r docker/wheelhouse/requirements.tmp

image: wheelhouse
	docker build --network host -t toplum:latest .

## Backups (bin/backup, bin/restore): pg_dump in custom format and the media files; README, "Backups".
backup:
	bin/backup

restore:
	test -n "$(BACKUP)" || (echo "make restore BACKUP=backups/<time> [TARGET_DATABASE_URL=…]" && exit 2)
	bin/restore "$(BACKUP)" $(TARGET_DATABASE_URL)

## Load test (bin/loadtest, loadtest/locustfile.py): gunicorn + PostgreSQL on 127.0.0.1; two profiles of
## 16 staff for LOADTEST_SECONDS (60) each; a database of its own (LOADTEST_DATABASE_URL).
loadtest: install
	bin/loadtest

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
