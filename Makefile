# Story Map: `make run` starts the app, `make test` runs every test. Both set everything up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test setup assets browser bench check clean

run: setup
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

test: setup browser
	$(PY) -m pytest

setup: $(VENV)/.installed assets

# Runtime and test requirements, both pinned; re-installed when either file changes.
$(VENV)/.installed: requirements.txt requirements-test.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-test.txt -c constraints.txt
	touch $@

# Leaflet, its plugins and the basemap data (@geo-maps, OpenStreetMap) come from npm (package-lock.json
# pins them). geo.assets copies them where Streamlit's static serving finds them, so the map never
# needs a CDN, and builds the tiled basemap store there (about 1 min and 1.9 GB of memory).
assets: static/vendor/.installed static/vendor/story-map/.copied

static/vendor/.installed: package.json package-lock.json geo/assets.py geo/basemap.py geo/basemap_build.py | $(VENV)/.installed
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) -m geo.assets
	touch $@

# Our own browser code (geo/web) beside the npm files, for st_folium's maps, which load scripts by
# URL. Copied again whenever one changes, without rebuilding the basemap.
static/vendor/story-map/.copied: $(wildcard geo/web/*.js) | static/vendor/.installed
	$(PY) -m geo.assets --own
	touch $@

# The browser tests drive Debian's Chromium; install it when it is missing and we are root.
# fonts-liberation: the handout PDF test reads text back, so glyphs must be real fonts.
# poppler-utils: pdftoppm turns the printed handouts into PNGs in test-output/, to look at.
browser:
	@{ command -v chromium && command -v pdftoppm; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation poppler-utils >/dev/null; \
	  else echo "chromium or pdftoppm is missing: sudo apt-get install chromium poppler-utils"; fi; }

check: setup
	$(PY) -m geo check

bench: setup browser
	$(PY) bench/geocode_offline.py
	$(PY) bench/step_latency.py
	$(PY) bench/export_step.py
	$(PY) bench/browser_cpu.py

clean:
	rm -rf $(VENV) node_modules static test-output
