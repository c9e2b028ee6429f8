# zhongtai — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
UV_VERSION ?= 0.13.9
UV := .tools/bin/uv
RUN := $(UV) run --no-sync
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PY)
export UV_LINK_MODE := copy
DEMO ?= demo-workspace
DEMO_CUSTOMERS ?= 100000
DEMO_SEED ?= 42

.PHONY: sync test run lint typecheck pytest pg-start pg-stop sysdeps bench docs clean e2e screenshots

$(UV):
	$(PY) -m venv .tools
	.tools/bin/python -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

sync: .venv/.synced

# System packages the tests need, installed only when running as root and missing.
sysdeps:
	@if [ "$$(id -u)" = 0 ]; then need=""; \
	  command -v java >/dev/null || need="$$need default-jre-headless"; \
	  [ -x /usr/bin/chromium ] || need="$$need chromium"; \
	  command -v wrk >/dev/null || need="$$need wrk"; \
	  fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need="$$need fonts-noto-cjk"; \
	  [ -z "$$need" ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need; }; fi

lint: sync
	$(RUN) ruff check src tests benchmarks
	$(RUN) ruff format --check src tests benchmarks

typecheck: sync
	$(RUN) mypy src

# The app-state tests run on SQLite and on a real PostgreSQL server: ZHONGTAI_TEST_PG_URL if set, else
# scripts/pg_test_server.sh starts one (or reuses it) under /tmp/zt-pg on 127.0.0.1:55432, installing the
# postgresql package first when it is missing and we are root. If none can start, CI=true fails the run.
pytest: sync
	@pg_url="$${ZHONGTAI_TEST_PG_URL:-$$(scripts/pg_test_server.sh start || true)}"; \
	  ZHONGTAI_TEST_PG_URL="$$pg_url" $(RUN) pytest -q

pg-start:
	scripts/pg_test_server.sh start

pg-stop:
	scripts/pg_test_server.sh stop

test: sync sysdeps lint typecheck pytest

# Generate the demo shop into $(DEMO) when it is absent, then serve the console on it (the URL and,
# until the first admin has chosen a password, a one-time password are printed).
HOST ?= 127.0.0.1
PORT ?= 8000
run: sync
	@if [ ! -f "$(DEMO)/zhongtai.toml" ]; then $(RUN) zhongtai demo --customers $(DEMO_CUSTOMERS) --seed $(DEMO_SEED) "$(DEMO)"; fi
	$(RUN) zhongtai serve --workspace "$(DEMO)" --host $(HOST) --port $(PORT)

# The console in a real Chromium (tests/e2e, also part of `make test`); `screenshots` saves a PNG
# of each main page into docs/screenshots/ (zh-CN, 1280 px; the explorer also at 390 px).
e2e: sync sysdeps
	$(RUN) pytest -q -m e2e tests/e2e

screenshots: sync sysdeps
	ZHONGTAI_SCREENSHOTS=1 $(RUN) pytest -q -m e2e tests/e2e

bench: sync
	$(RUN) python benchmarks/run_all.py

docs: sync
	$(RUN) python -m zhongtai.reference docs

clean:
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache
