# nianbao — developer and CI entry points (GNU make 4.3).
#
#   make venv       create .venv with Python >= 3.12 and install requirements.txt
#   make run        migrate, load demo data, serve http://127.0.0.1:8000/ (+ task worker)
#   make test       ruff, migrations check, pytest on SQLite and PostgreSQL, browser tests
#   make lint       ruff check + ruff format --check
#   make format     ruff format + ruff check --fix
#   make bench      benchmarks against a throw-away PostgreSQL (once they exist)
#
# Single test steps: make test-sqlite | test-postgres | test-browser | check-migrations
# Extra pytest options: PYTEST_ADDOPTS="-x -k login" make test-sqlite

PY   := .venv/bin/python
RUFF := .venv/bin/ruff
ADDR ?= 127.0.0.1:8000

.PHONY: venv run test lint format bench check-migrations test-sqlite test-postgres \
        test-browser

venv:
	@.ci/ensure-venv

run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@.ci/serve $(ADDR)

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

bench: venv
	@if $(PY) manage.py help bench >/dev/null 2>&1; then \
		.ci/with-postgres sh -c '$(PY) manage.py migrate --noinput -v0 && exec $(PY) manage.py bench'; \
	else \
		echo "make bench: no benchmarks exist yet (there is no manage.py bench)"; \
	fi
