# Kalender Konten — `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TRANSLATIONS := calendarapp/translations
export FLASK_APP := calendarapp

.PHONY: run test bench soak lint format translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@ $(VENV)/.installed-run

## run: the app with demo data on SQLite under instance/, at http://127.0.0.1:5000
run: $(VENV)/.installed-run
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data --only-if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## test: lint, then every test on SQLite and PostgreSQL and in Chromium (skipped when absent
## unless REQUIRE_ALL=1)
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n auto --maxprocesses 4 $(PYTEST_ARGS)

## bench (bench/, not in the package): every daily page at a kabupaten's size (bench/scale.py), in-process and
## through gunicorn under wrk, as a ratio to a hello app in the same run (instance/bench-pages.md);
## then a 5,000-event iCalendar feed (naive, first, repeat, after a change, 304), Pantauan's pages,
## and a mixed load: 16 people reading and writing at once, p50/p95 per page, rps beside hello's
bench: $(VENV)/.installed-run
	$(BIN)/python -m bench.pages
	$(BIN)/python -m bench.feeds
	$(BIN)/python -m bench.monitoring
	$(BIN)/python -m bench.mixed

## soak: 60 s of mixed reads and writes by 8 people against gunicorn (4 workers), on SQLite and on
## a throwaway PostgreSQL cluster: no 5xx, no "database is locked", every write accounted for
soak: $(VENV)/.installed-test
	$(BIN)/python -m bench.soak

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## translations: extract marked strings, update the catalogues, compile them
translations: $(VENV)/.installed-run
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--omit-header -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --width 100 \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(TRANSLATIONS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
