# Assess: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
STAMP := $(VENV)/.installed

.PHONY: install run test lint format bench load translations catalogues image clean

install: $(STAMP) catalogues

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

catalogues: $(STAMP)
	@$(BIN)/pybabel compile --use-fuzzy --statistics -d assess/translations >/dev/null

# Set up everything, then serve the embedded default (SQLite, in-process grading).
run: install
	$(FLASK) db upgrade
	$(FLASK) bank load
	@if $(BIN)/python -c 'import sys, docker; docker.from_env().ping()' 2>/dev/null; then \
		$(FLASK) sandbox build-image || echo "!! the sandbox image could not be built: code grading is unavailable"; \
	else \
		echo "!! Docker is not reachable: the app runs, but code grading is unavailable (see README)"; \
	fi
	@$(FLASK) demo-admin
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) wsgi:app

test: install
	$(BIN)/python -m pytest --cov --cov-report=term --cov-report=xml:artifacts/coverage.xml $(PYTEST_ARGS)
	$(BIN)/coverage report --fail-under=85 > /dev/null || { echo "coverage below 85%"; exit 1; }
	$(BIN)/coverage report --include='sandbox/*' --fail-under=90 > /dev/null || { echo "sandbox/ coverage below 90%"; exit 1; }
	$(BIN)/coverage report --include='assess/scoring/*,assess/bank/scoring.py' --fail-under=90 > /dev/null || { echo "scoring coverage below 90%"; exit 1; }
	@echo "coverage: overall $$($(BIN)/coverage report --format=total)%, sandbox $$($(BIN)/coverage report --include='sandbox/*' --format=total)%"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Each benchmark prints its figures and the ratios it measures side by side in one run.
bench: install
	$(BIN)/python bench/grading.py --json
	$(BIN)/python bench/autosave.py --json
	$(BIN)/python bench/review.py --json

load: install
	$(BIN)/python bench/load.py

# Re-extract UI text and merge it into the catalogues (then translate the new Russian entries).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o assess/translations/messages.pot .
	$(BIN)/pybabel update -i assess/translations/messages.pot -d assess/translations --no-fuzzy-matching
	$(BIN)/pybabel compile --use-fuzzy --statistics -d assess/translations >/dev/null

image: install
	$(FLASK) sandbox build-image

clean:
	rm -rf $(VENV) instance artifacts .pytest_cache .mypy_cache .ruff_cache .coverage
