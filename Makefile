# nianbao — developer and CI entry points (GNU make 4.3).
#
#   make venv       create .venv with Python >= 3.12 and install requirements.txt
#   make run        migrate, load demo data, serve http://127.0.0.1:8000/ (+ task worker)
#   make serve-production   gunicorn + task worker, DEBUG off (docs/deployment.md)
#   make test       ruff, migrations check, pytest on SQLite and PostgreSQL, browser tests
#   make lint       ruff check + ruff format --check
#   make format     ruff format + ruff check --fix
#   make bench      benchmarks against a throw-away PostgreSQL (once they exist)
#   make load       50 clerks + 5 reviewers for 30 s against gunicorn on a throw-away
#                   PostgreSQL, 127.0.0.1 only (LOAD_ARGS="--seconds 60"); not in make test
#
# Single test steps: make test-sqlite | test-postgres | test-browser | check-migrations
# Extra pytest options: PYTEST_ADDOPTS="-x -k login" make test-sqlite

PY   := .venv/bin/python
RUFF := .venv/bin/ruff
ADDR ?= 127.0.0.1:8000

.PHONY: load venv run serve-production test lint format bench check-migrations test-sqlite test-postgres \
        test-browser

venv:
	@.ci/ensure-venv

run: venv
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	@.ci/serve $(ADDR)

# Production-style: gunicorn + WhiteNoise + task worker on 127.0.0.1 (DEBUG off;
# needs SECRET_KEY and the rest of docs/deployment.md in the environment).
serve-production: venv
	@.ci/serve-production $(ADDR)

test: venv
	@.ci/test

test-sqlite: venv
	@.ci/test sqlite

test-postgres: venv
	@.ci/test postgres

test-browser: venv
	@.ci/test browser

check-migrations: venv
	@.ci/test migrations

lint: venv
	$(RUFF) check .
	$(RUFF) format --check .

format: venv
	$(RUFF) format .
	$(RUFF) check --fix .

bench: export DEBUG = 1
bench: venv
	@if $(PY) manage.py help bench >/dev/null 2>&1; then \
		.ci/with-postgres sh -c '$(PY) manage.py migrate --noinput -v0 && exec $(PY) manage.py bench'; \
	else \
		echo "make bench: no benchmarks exist yet (there is no manage.py bench)"; \
	fi

# The driver runs as a developer tool; the server it starts runs DEBUG off.
load: export DEBUG = 1
load: venv
	@.ci/with-postgres sh -c '$(PY) manage.py migrate --noinput -v0 && \
		exec $(PY) manage.py load_test $(LOAD_ARGS)'
