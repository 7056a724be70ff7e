# The README's commands. Each bootstraps .venv on a fresh machine (python3.11 + make are enough).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench mutation complexity check docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/fcvalidate demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

mutation: $(STAMP)
	$(BIN)/python benchmarks/mutation.py

complexity: $(STAMP)
	$(BIN)/python benchmarks/complexity.py

check: $(STAMP)
	$(BIN)/fcvalidate compile --check
	$(BIN)/fcvalidate lint --quiet
	$(BIN)/ruff check fcvalidate tests benchmarks docs/_hooks
	$(BIN)/ruff format --check fcvalidate tests benchmarks docs/_hooks
	$(BIN)/mypy
	$(BIN)/lint-imports

# The documentation site (docs/, mkdocs.yml) into site/; --strict: a broken link or reference fails it.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) reports/* site .pytest_cache .hypothesis
