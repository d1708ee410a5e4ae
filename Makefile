# Darman — the two commands: `make run` (the app with demo data and its push worker) and
# `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app server
DEMO_PEOPLE ?= 2000
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install translations translations-update run test browser test-postgresql deploy-check lint format bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d translations

# After changing texts in the code: refresh the template and the catalogues (Persian texts may
# wait in translations/incoming/*.json), then compile. Fails while a text has no Persian.
translations-update: $(VENV)/.installed
	$(BIN)/python scripts/merge_translations.py

run: install
	$(FLASK) db upgrade
	$(FLASK) darman catalogue import
	$(FLASK) darman tariffs import
	$(FLASK) darman demo --people $(DEMO_PEOPLE) --if-empty
	$(FLASK) darman daily
	$(FLASK) darman worker --once
	@mkdir -p instance
	@test -s instance/demo-provider-token || \
		$(FLASK) darman provider create "مطب نمونه" --kind doctor > instance/demo-provider-token
	@echo "Demo provider token: $$(cat instance/demo-provider-token)"
	@$(FLASK) darman demo-curl --port $(PORT)
	@echo "Darman is at http://localhost:$(PORT)"
	@# the push worker beside the app, so that notices written while it serves reach the inbox
	@# and the phones; stopped with the app (Ctrl-C stops both)
	$(FLASK) darman worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) 'server:create_app()'

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache  # the layers' contracts (pyproject.toml, [tool.importlinter])

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install lint browser e2e/node_modules/axe-core/axe.min.js
	$(BIN)/pytest -q

# axe-core for the browser tests (e2e/package.json, pinned by its lock; injected from here).
e2e/node_modules/axe-core/axe.min.js: e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

# The browser tests drive Debian's Chromium (installed here when missing; needs root).
browser:
	@test -x /usr/bin/chromium || ./scripts/install-chromium.sh

# The same suite on PostgreSQL: installs and starts Debian's postgresql (needs root).
test-postgresql: install
	DATABASE_URL=$$(./scripts/test-postgresql.sh) $(BIN)/pytest -q tests

# nginx (TLS, HTTP/2, brotli), two app nodes and a worker on one PostgreSQL, checked through
# nginx over https in Chromium; a dump restored into a fresh database (needs root).
deploy-check: install browser
	./scripts/deploy-check.sh

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) instance
