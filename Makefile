# luntan — `make run` serves the forum, `make test` runs the suite, `make cluster` runs it
# as on many machines (PostgreSQL, Redis, S3, two app servers, nginx, a task worker),
# `make bench` measures.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint typecheck install check-python cluster cluster-stop cluster-test

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "luntan needs Python 3.11 or newer; run: make run PYTHON=/path/to/python3.11"; exit 1; }

# Reinstalled only when pyproject.toml changes.
$(STAMP): pyproject.toml | check-python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/luntan migrate --noinput
	$(BIN)/luntan collectstatic --noinput --verbosity 0
	$(BIN)/luntan create_demo_site --if-empty
	@echo "luntan is serving on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	@# The task worker (mail) and the periodic scheduler (daily digests, prune_unread)
	@# run beside gunicorn and stop when gunicorn does.
	$(BIN)/luntan db_worker --queue-name '*' --verbosity 0 & worker=$$!; \
	$(BIN)/luntan run_periodic --verbosity 0 & periodic=$$!; \
	trap 'kill $$worker $$periodic 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn luntan.asgi --worker-class uvicorn_worker.UvicornWorker --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - --log-level warning

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check luntan bench tools
	$(BIN)/ruff format --check luntan bench tools
	$(BIN)/luntan makemigrations --check --dry-run
	$(BIN)/python tools/check_orm_writes.py luntan
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy luntan
	$(BIN)/python tools/format_templates.py --check

# mypy with django-stubs ([tool.mypy] in pyproject.toml); also run by `make lint`.
typecheck: $(STAMP)
	$(BIN)/mypy luntan

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

# The many-machine topology on loopback ports (tools/cluster/cluster.sh; docs/deployment.md).
cluster: $(STAMP)
	tools/cluster/cluster.sh start

cluster-stop:
	tools/cluster/cluster.sh stop

# Load, SIGKILLs and a Redis outage against `make cluster`, then the checks (slow: not in CI).
cluster-test: $(STAMP)
	$(BIN)/python -m bench.cluster_test $(CLUSTER_TEST_ARGS)
