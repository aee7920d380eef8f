# Moodify's two commands: `make demo` and `make test`. Everything they need is installed
# here, from the lock files, on first use.

SHELL := /bin/bash
UV_VERSION := 0.13.9
UV := .tools/uv/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM := /usr/bin/chromium

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
export NEXT_TELEMETRY_DISABLED := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

FRONTEND_SOURCES := $(shell find frontend -path frontend/node_modules -prune -o -path frontend/.next -prune -o -path frontend/out -prune -o -type f -print 2>/dev/null)

.PHONY: demo serve simulate test check lint typecheck api-types api-types-check frontend synth clean lighthouse

demo: $(VENV)/.runtime frontend/out/index.html ## Generate a listening history and serve the dashboard
	$(VENV)/bin/moodify demo

serve: $(VENV)/.runtime frontend/out/index.html ## Serve what is in the warehouse
	$(VENV)/bin/moodify serve

simulate: $(VENV)/.runtime frontend/out/index.html ## Live demo against a fake Spotify
	$(VENV)/bin/moodify simulate

# The second run moves the test process's wall clock 400.3 days ahead, to another hour of
# another day (not the browser tests: Chromium keeps its own clock), so that every test
# passes on any day, not only around the one it was written on.
test: $(VENV)/.all frontend/out/index.html $(CHROMIUM) check ## Lint, type-check and run every test
	$(VENV)/bin/pytest
	$(VENV)/bin/pytest --days-ahead 400.3 -m "not e2e" -q

check: lint typecheck api-types-check

lint: $(VENV)/.all frontend/node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo  # the contracts in pyproject.toml
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/actionlint  # .github/workflows, their scripts through shellcheck
	cd frontend && npm run --silent lint

typecheck: $(VENV)/.all frontend/node_modules/.installed
	$(VENV)/bin/mypy
	cd frontend && npm run --silent typecheck

# The dashboard's side of the API contract (types, upload limits), written from the API's
# OpenAPI document into frontend/lib/generated/; the check fails when those files are stale.
API_GENERATED := frontend/lib/generated

api-types: $(VENV)/.all frontend/node_modules/.installed ## Regenerate the dashboard's API types
	$(PY) -m api.openapi > $(API_GENERATED)/openapi.json
	cd frontend && node scripts/generate-api.mjs lib/generated

api-types-check: $(VENV)/.all frontend/node_modules/.installed
	@fresh=$$(mktemp -d) && trap 'rm -rf "$$fresh"' EXIT && \
	$(PY) -m api.openapi > "$$fresh/openapi.json" && \
	(cd frontend && node scripts/generate-api.mjs "$$fresh") || exit 1; \
	diff -ru $(API_GENERATED) "$$fresh" || { \
		echo "$(API_GENERATED) is not what the API states. Run \`make api-types\` and commit the result." >&2; \
		exit 1; \
	}

frontend: frontend/out/index.html

synth: $(VENV)/.all frontend/out/index.html node_modules/.installed ## Synthesize the AWS stack (offline)
	npx cdk synth --quiet

$(UV):
	python3 -m pip install --quiet --disable-pip-version-check --target .tools/uv uv==$(UV_VERSION)

# The runtime environment (for the demo) and the full one (tests, linters, CDK).
$(VENV)/.runtime: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --inexact --no-dev
	touch $@

$(VENV)/.all: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-groups
	touch $@ $(VENV)/.runtime

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend/out/index.html: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && npm run --silent build

# Lighthouse for bench/dashboard_scores.py, apart from the dashboard's own packages.
lighthouse: bench/lighthouse/node_modules/.installed

bench/lighthouse/node_modules/.installed: bench/lighthouse/package.json bench/lighthouse/package-lock.json
	cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core

clean: ## Remove local state and build output (not the installed tools)
	rm -rf .moodify cdk.out frontend/out frontend/.next
