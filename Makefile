# Every target sets itself up: a fresh clone needs only Python 3.11, make and git.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# Benchmarks and the reliability suite run on PostgreSQL; each database is created when missing.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/alliance_portal_bench
BENCH_SMOKE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/alliance_portal_bench_smoke
RELIABILITY_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/alliance_portal_reliability

.PHONY: run test lint format demo migrate clean bench bench-smoke reliability reliability-smoke audit

$(INSTALLED): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

migrate: $(INSTALLED)
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --no-input -v0

demo: migrate
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py load_demo

run: demo
	@echo "Serving the Alliance Portal on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(INSTALLED)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=lint $(BIN)/python manage.py makemigrations --check --dry-run

# The full benchmark: 1M flows, 100k agreements (generated once, ~2 min), then every figure.
bench: $(INSTALLED)
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.run --scale full

# The same figures on a small data set, about a minute.
bench-smoke: $(INSTALLED)
	BENCH_DATABASE_URL=$(BENCH_SMOKE_DATABASE_URL) $(BIN)/python -m bench.run --scale smoke

# Schemathesis (2,000+ requests), load, faults and hostile input (docs/reliability.md).
reliability: $(INSTALLED)
	DATABASE_URL=$(RELIABILITY_DATABASE_URL) RELIABILITY=full $(BIN)/pytest -p no:randomly tests/reliability

reliability-smoke: $(INSTALLED)
	DATABASE_URL=$(RELIABILITY_DATABASE_URL) RELIABILITY=smoke $(BIN)/pytest -p no:randomly tests/reliability

# Static checks: Django's deployment checklist, bandit, and known vulnerabilities in the lock.
audit: $(INSTALLED)
	SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
		DEBUG=false ALLOWED_HOSTS=portal.example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/bandit -q -r alliance_portal partnerships programs bench -x '*/migrations/*' \
		--severity-level medium
	$(BIN)/python .ci/audit_dependencies.py requirements.lock

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache .test-media
