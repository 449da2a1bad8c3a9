# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
ARGS   ?=

.PHONY: install run test fuzz lint format clean

PIP     := $(BIN)/pip install --quiet --disable-pip-version-check
# One marker per install: `run` needs only what serving needs, `test` and `lint` the dev tools
# too. Each is redone when pyproject.toml changes; the dev install covers the runtime one.
RUNTIME := $(VENV)/.installed-runtime
DEV     := $(VENV)/.installed-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(PIP) -e .
	@touch $@

$(DEV): pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev]'
	@touch $@ $(RUNTIME)

install: $(DEV) ## create .venv with the `miraiworks` command and the dev tools

run: $(RUNTIME) ## migrate, seed the demo data and serve on http://$(HOST):$(PORT) (runtime packages only)
	$(BIN)/miraiworks migrate
	$(BIN)/miraiworks seed-demo
	$(BIN)/miraiworks serve --host $(HOST) --port $(PORT)

test: $(DEV) ## run the whole suite in parallel; `make test ARGS="-k auth -x"` passes pytest arguments
	$(BIN)/pytest -n auto --maxprocesses=4 $(ARGS)

FUZZ_EXAMPLES ?= 500
fuzz: $(DEV) ## a long schemathesis run: FUZZ_EXAMPLES examples per operation and role (`make test` runs 3)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -n auto --maxprocesses=4 tests/fuzz $(ARGS)

lint: $(DEV) ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
