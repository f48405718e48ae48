# Two commands do all set-up: `make run` and `make test`.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PORT    ?= 8000
export FLASK_APP := wsgi:app
# The browser tests' Chromium (tests/browser/conftest.py reads the same variable).
CHROMIUM := $(or $(CHROMIUM_PATH),/usr/bin/chromium)

.PHONY: install run test test-tools node-modules lint translations compile-translations lock clean

$(STAMP): pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

compile-translations: install
	$(BIN)/pybabel compile -d translations

## make run: install, migrate SQLite, load demo data if empty, serve on 0.0.0.0:$(PORT)
run: compile-translations
	mkdir -p instance
	FIELDAPP_ENV=$${FIELDAPP_ENV:-development} $(BIN)/flask db upgrade
	FIELDAPP_ENV=$${FIELDAPP_ENV:-development} $(BIN)/flask demo load --if-empty
	FIELDAPP_ENV=$${FIELDAPP_ENV:-development} PORT=$(PORT) $(BIN)/flask demo info
	FIELDAPP_ENV=$${FIELDAPP_ENV:-development} PORT=$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

## make test: the same install, then the whole suite (PostgreSQL too when TEST_DATABASE_URL is set)
test: test-tools compile-translations node-modules
	$(BIN)/pytest $(PYTEST_ARGS)

# What a Makefile cannot install is checked before anything runs: one line naming the command.
test-tools:
	$(if $(shell command -v npm),,$(error make test needs Node.js and npm (for axe-core): apt-get install -y nodejs npm))
	$(if $(wildcard $(CHROMIUM)),,$(error make test needs Chromium at $(CHROMIUM) for the browser tests: apt-get install -y chromium chromium-driver (or set CHROMIUM_PATH)))

# axe-core for the accessibility test, at the version in package-lock.json; npm writes
# node_modules/.package-lock.json on each install, so it dates the install.
node-modules:
	@if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund; fi

lint: install
	$(BIN)/ruff check .

## make translations: extract messages, update both catalogs, compile them
translations: install
	$(BIN)/pybabel extract -F pyproject.toml -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o translations/messages.pot --no-location --sort-output --project fieldapp .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d translations

## make lock: re-resolve the dependencies within pyproject's ranges and rewrite requirements.lock
lock:
	rm -rf /tmp/fieldapp-lock && python3 -m venv /tmp/fieldapp-lock
	/tmp/fieldapp-lock/bin/pip install -q --upgrade pip
	/tmp/fieldapp-lock/bin/pip install -q '.[dev]'
	/tmp/fieldapp-lock/bin/pip freeze --exclude fieldapp > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache
