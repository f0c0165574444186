# Achats ouverts — two commands for a new machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data
OUT ?= site
PORT ?= 8000

.PHONY: site test lint typecheck pytest serve demo-data clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installation stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

site: $(VENV)/.installed
	$(BIN)/achats-ouverts build $(DATA) -o $(OUT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy --strict src

# In parallel (pytest-xdist): one process per core, 4 at most (each builds its own test sites);
# a test module stays in one process, so its module fixtures are built once.
pytest: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile

test: lint typecheck pytest

serve: $(VENV)/.installed
	@test -d $(OUT) || $(MAKE) site
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(OUT)

demo-data: $(VENV)/.installed
	$(BIN)/python scripts/generate_demo.py $(DATA)

clean:
	rm -rf $(OUT) build .pytest_cache .mypy_cache .ruff_cache
