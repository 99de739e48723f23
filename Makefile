# Two commands on a fresh machine (see README.md):
#   make demo   set up, then start the web app and API (prints the URL; Ctrl+C stops)
#   make test   set up, then run the whole test suite (the browser test drives headless Chromium)
# Both are idempotent: the virtual environment is rebuilt only when pyproject.toml changes,
# the web vendor files only when web/package-lock.json changes, Chromium only if missing.
# Other targets: make report (the Mumbai -> Moscow route report: table, GeoJSON, HTML map in out/),
# make bench, make docs (the documentation site, built offline into site/), make clean.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/corridors/web/static/vendor/leaflet/leaflet.js
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo report test bench docs setup chromium clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[web,sea,dask,test]'
	touch $(STAMP)

# Leaflet from the npm registry, copied into the package so the app works with no internet
$(VENDOR): web/package.json web/package-lock.json web/copy-vendor.mjs
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	npm run build --prefix web --silent

setup: $(STAMP) $(VENDOR)

demo: setup
	$(BIN)/corridors serve --host $(HOST) --port $(PORT)

report: setup
	$(BIN)/corridors route Mumbai Moscow --geojson out/mumbai-moscow.geojson --html out/mumbai-moscow.html

# Debian's Chromium for the end-to-end browser test (the test tools never download a browser)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: setup chromium
	$(BIN)/python -m pytest

bench: setup
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/bench_routing.py
	$(BIN)/python bench/bench_scenarios.py
	$(BIN)/python bench/bench_load.py

DOCS_STAMP := $(VENV)/.installed-docs

$(DOCS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $(DOCS_STAMP)

# mkdocs-material with the Python API from docstrings (mkdocstrings) and the CLI reference from the
# command definitions (docs/hooks/cli_reference.py); --strict: a broken link or reference fails the build
docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

clean:
	rm -rf $(VENV) out site .pytest_cache .hypothesis web/node_modules src/corridors/web/static/vendor
