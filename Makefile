# Two commands on a fresh machine:  make run   and   make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATABASE_URL ?= sqlite:///instance/voisinage.sqlite
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint bench bench-quick clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# setuptools says "Editable installation... be careful with folders named like your
# package" on every editable install; that notice is for library authors, not for
# someone trying the demo, so it is filtered out (nothing else is).
QUIET_EDITABLE := PYTHONWARNINGS="ignore:Editable installation"

$(VENV)/.run-installed: $(BIN)/python setup.cfg pyproject.toml
	$(QUIET_EDITABLE) $(BIN)/python -m pip install --quiet -e '.[postgres]'
	touch $@

$(VENV)/.dev-installed: $(VENV)/.run-installed
	$(QUIET_EDITABLE) $(BIN)/python -m pip install --quiet -e '.[postgres,dev]'
	touch $@

## make run: install, load the demo (once; its accounts and codes are printed every time) and
## serve it on http://127.0.0.1:5000
run: $(VENV)/.run-installed
	DATABASE_URL=$(DATABASE_URL) $(BIN)/voisinage demo --if-empty
	DATABASE_URL=$(DATABASE_URL) $(BIN)/voisinage serve --host $(HOST) --port $(PORT)

## make test: install with the dev extras and run the whole suite
test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check domain application projections web infrastructure audit verifier tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks

bench-quick: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks --quick

clean:
	rm -rf $(VENV) instance *.egg-info .pytest_cache .mypy_cache .ruff_cache
