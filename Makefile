# The two commands of the README: `make demo` and `make test`. Everything else is their setup.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test setup system-deps postgres redis assets translations lint bench clean

# `make demo BIND=127.0.0.1:8600` serves it elsewhere (default: the bind setting, 127.0.0.1:8000).
demo: setup
	$(VENV)/bin/kiosk demo $(if $(BIND),--bind $(BIND))

test: setup postgres redis
	$(PY) -m pytest

setup: system-deps $(STAMP) assets translations

system-deps:
	@PYTHON=$(PYTHON) sh deploy/dev-deps.sh

postgres:
	@sh deploy/dev-postgres.sh

redis:
	@sh deploy/dev-redis.sh

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Front-end assets come from npm at the versions the lock file pins, and are served by the kiosk.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

kiosk/static/vendor/htmx.min.js: node_modules/.package-lock.json
	mkdir -p kiosk/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

assets: kiosk/static/vendor/htmx.min.js

translations: $(STAMP)
	$(VENV)/bin/pybabel compile -d kiosk/translations

lint: setup
	$(VENV)/bin/ruff check kiosk voice peripherals tests bench
	$(PY) -m mypy

# Speed and memory, written to bench/RESULTS.md with the command that produced them.
bench: setup
	$(PY) bench/screens.py --write bench/RESULTS.md
	$(PY) bench/voice.py --write bench/.voice.md
	cat bench/.voice.md >> bench/RESULTS.md && rm bench/.voice.md

clean:
	rm -rf $(VENV) node_modules kiosk/static/vendor var tests/artifacts
