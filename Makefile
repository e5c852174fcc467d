# The front door: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
# The development targets run with DEBUG on; production leaves it unset (off).
export DEBUG ?= true

.PHONY: run test coverage fuzz lint fmt browser demo vendor bench bench-national clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

demo: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The browser tests drive the system Chromium; install it when it is missing.
browser:
	@bash .ci/ensure-chromium

test: $(VENV)/.installed-test browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Over 10,000 generated inputs through the forms: no 500, nothing half saved (a CI step).
fuzz: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m fuzz tests/fuzz $(PYTEST_ARGS)

# The whole suite under coverage.py, then the lines no test runs.
coverage: $(VENV)/.installed-test browser
	$(BIN)/python -m coverage run -m pytest $(PYTEST_ARGS)
	$(BIN)/python -m coverage report

# Speed and memory of the main pages on a throwaway database; prints figures, asserts nothing.
bench: $(VENV)/.installed-test
	$(BIN)/python -m tests.benchmark

# The same at national scale on PostgreSQL (DATABASE_URL; default csp_national on 127.0.0.1):
# 300 partnerships and 5 million figures built in a few minutes, every page against the demo
# alone, Gunicorn throughput and memory. BENCH_ARGS=--reuse measures the database built before.
BENCH_ARGS ?=
bench-national: $(VENV)/.installed-test
	DEBUG=false $(BIN)/python -m tests.national $(BENCH_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

fmt: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Rebuild the vendored front end (committed, so nothing here runs on a normal install):
# GOV.UK Frontend from npm, compiled with the partnership's own font and our components.
vendor:
	npm ci --no-audit --no-fund
	npx sass --no-source-map --style=compressed --load-path=node_modules/govuk-frontend/dist \
		static/src/app.scss static/css/app.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/js/

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles *.egg-info .pytest_cache .ruff_cache .import_linter_cache
