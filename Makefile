# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
ARGS   ?=

.PHONY: install run test lint format clean

$(BIN)/miraiworks: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(BIN)/miraiworks ## create .venv with the `miraiworks` command and the dev tools

run: install ## migrate, seed the demo data and serve on http://$(HOST):$(PORT)
	$(BIN)/miraiworks migrate
	$(BIN)/miraiworks seed-demo
	$(BIN)/miraiworks serve --host $(HOST) --port $(PORT)

test: install ## run the whole suite in parallel; `make test ARGS="-k auth -x"` passes pytest arguments
	$(BIN)/pytest -n auto --maxprocesses=4 $(ARGS)

lint: install ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
