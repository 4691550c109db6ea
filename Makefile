# Two commands matter: `make build` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

NODE_STAMP := node_modules/.installed
DEBIAN_TOOLS := Debian: apt-get install nodejs npm default-jre-headless

.PHONY: build test lint format check clean loc golden validator-tools chromium lighthouse screenshots fuzz serve bench accuracy

# BASE_URL=https://… overrides site.toml's base_url (the Pages workflow passes its URL).
build: $(STAMP)
	$(PY) build.py build $(if $(BASE_URL),--base-url "$(BASE_URL)")

# Build, serve on http://127.0.0.1:8000/ and rebuild on every change (PORT=… for another).
serve: $(STAMP)
	$(PY) build.py serve $(if $(PORT),--port $(PORT))

# tests/test_validators.py runs the Nu Html Checker (vnu.jar from npm, on Java) and lychee.
# tests/test_browser.py drives Debian's chromium with Playwright, axe-core and Lighthouse.
test: $(STAMP) lint $(NODE_STAMP) chromium
	$(PY) -m pytest -q

# How many of the facts in tests/corpus/ (real-shaped ads, hand-labelled) extraction gets right,
# by field and by format, and every miss; `make test` fails if a share drops below its floor.
accuracy: $(STAMP)
	$(PY) tests/accuracy.py --misses

# Rewrite tests/golden/site/, the seeds' built site that tests/test_golden.py compares with;
# review its diff in every change that alters the output.
golden: $(STAMP)
	$(PY) tests/golden.py

# Many more random and mutated postings than `make test` tries (a few minutes).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q tests/test_fuzz.py

# Time cold, unchanged and one-edit builds of 1,000 and 10,000 generated postings, against Hugo
# and Pelican when installed (PELICAN=path/to/pelican); prints a Markdown table for the README.
bench: $(STAMP)
	$(PY) -m bench.run $(if $(PELICAN),--pelican "$(PELICAN)")

# Type hints are checked in strict mode (pyproject.toml's [tool.mypy]): fix, don't silence.
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# On GitHub Actions each problem also becomes an annotation on the pull request's diff.
check: $(STAMP)
	$(PY) build.py check $(if $(GITHUB_ACTIONS),--format github)

# The virtualenv is rebuilt whenever the pinned dependencies change.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# The Node tools the tests use, pinned in package-lock.json; `make build` never needs them.
# --ignore-scripts: vnu-jar's postinstall downloads a Java runtime when none is on PATH; we
# require the system's java instead (checked by validator-tools).
$(NODE_STAMP): package.json package-lock.json | validator-tools
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

validator-tools:
	@command -v npm >/dev/null || { echo "make test needs npm (Node.js 18+) to install the HTML validator ($(DEBIAN_TOOLS))" >&2; exit 1; }
	@command -v java >/dev/null || { echo "make test needs java (17+) to run the HTML validator ($(DEBIAN_TOOLS))" >&2; exit 1; }

# Lighthouse's four scores for the home page and the newest posting, served on 127.0.0.1.
lighthouse: $(STAMP) $(NODE_STAMP) chromium
	$(PY) tests/lighthouse.py

# The README's screenshots, taken in Debian's chromium, into docs/screenshots/.
screenshots: $(STAMP) chromium
	$(PY) tests/screenshots.py

# Browser tests need Debian's chromium (Playwright's own browser download does not work here).
CHROMIUM := /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	  && echo "Installing Debian's chromium for the browser tests" \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || { echo "make test needs Debian's chromium at $(CHROMIUM): run apt-get install chromium as root" >&2; exit 1; }

clean:
	rm -rf _site .cache

# Module sizes, smallest first; tests/test_size.py fails when a module passes 400 lines.
loc:
	@wc -l build.py builder/*.py | sort -n
