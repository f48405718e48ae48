# Two commands do all set-up: `make run` and `make test`.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PORT    ?= 8000
export FLASK_APP := wsgi:app

.PHONY: install run test lint translations compile-translations lock clean

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
test: compile-translations
	$(BIN)/pytest $(PYTEST_ARGS)

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
