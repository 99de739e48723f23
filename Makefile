# Two commands on a fresh machine (see README.md):
#   make demo   set up, then print the Mumbai -> Moscow route report and write its GeoJSON and HTML map
#   make test   set up, then run the whole test suite
# Both are idempotent: the virtual environment is rebuilt only when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench setup clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,sea]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/corridors route Mumbai Moscow --geojson out/mumbai-moscow.geojson --html out/mumbai-moscow.html

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_routing.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
