# Heard: `make demo` to try it, `make test` to prove it. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
ASSETS := heard/static/vendor/nhsuk/nhsuk-frontend.min.css

.PHONY: install assets demo test test-only browser lint typecheck bench lock clean

# The virtual environment, from the lock file, with the system libraries PDFs need. Reinstalls only when the lock,
# pyproject or that script changes.
install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/ensure-pdf-libraries.sh
	@command -v $(PYTHON) >/dev/null || { echo "Heard needs Python 3.11 ($(PYTHON) not found)."; exit 1; }
	bash scripts/ensure-pdf-libraries.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	# Build the redaction word lists once now, so that the first redaction a person runs is not the slow one.
	$(BIN)/python -c "from heard.privacy.redaction.lexicon import lexicon; lexicon()"
	touch $(STAMP)

# NHS.UK frontend's compiled CSS, JS and images (and axe-core for the tests), from npm into static files.
assets: $(ASSETS)

$(ASSETS): package.json package-lock.json scripts/install-assets.sh
	bash scripts/install-assets.sh

demo: install assets
	PORT=$(PORT) $(BIN)/heard demo

# Everything the tests need, then the whole suite. CI=true makes a missing browser a failure.
test: install assets
	bash scripts/ensure-chromium.sh
	$(MAKE) test-only

test-only:
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check heard tests bench
	$(BIN)/ruff format --check heard tests bench

typecheck: install
	$(BIN)/mypy heard

bench: install assets
	$(BIN)/python bench/run.py && $(BIN)/python bench/redaction.py && $(BIN)/python bench/intake.py
	$(BIN)/python bench/api_load.py --database sqlite && $(BIN)/python bench/api_load.py --database postgres
	$(BIN)/python bench/themes.py && $(BIN)/python bench/coding.py
	$(BIN)/python bench/dashboards.py --items 1000000 && $(BIN)/python bench/suggesting.py --items 200000
	$(BIN)/python bench/reports.py && $(BIN)/python bench/project_report.py && $(BIN)/python bench/public_pages.py --database sqlite && $(BIN)/python bench/public_pages.py --database postgres

# Re-resolve the pins: a fresh environment from pyproject's ranges, frozen into requirements.lock.
lock:
	rm -rf /tmp/heard-lock && $(PYTHON) -m venv /tmp/heard-lock
	/tmp/heard-lock/bin/pip install --quiet --upgrade pip
	/tmp/heard-lock/bin/pip install --quiet ".[dev]"
	/tmp/heard-lock/bin/pip freeze --exclude heard | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) node_modules heard/static/vendor staticfiles
