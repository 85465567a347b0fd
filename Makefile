# Hunar's commands. `make run` and `make test` each work alone on a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PORT ?= 8000

.PHONY: run test bench lint sysdeps clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(RUN_STAMP)

sysdeps:
	@./scripts/system-deps.sh

run: $(RUN_STAMP) sysdeps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Hunar is at http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(DEV_STAMP) sysdeps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: $(DEV_STAMP) sysdeps
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

# A lab node (docs/decisions/0023-lab-node-sync.md): the first time with UPSTREAM and TOKEN (from
# `manage.py node_register --center CODE` on the server); then it serves the lab's LAN on PORT and
# syncs every 5 minutes while it runs.
.PHONY: node
NODE_ENV := DJANGO_SETTINGS_MODULE=lms.settings.node
node: $(RUN_STAMP) sysdeps
	$(NODE_ENV) $(PY) manage.py migrate --noinput
	@test -f var/node/node.json || $(NODE_ENV) $(PY) manage.py node_setup --upstream "$(UPSTREAM)" --token "$(TOKEN)"
	@echo "This lab's Hunar is at http://<this PC's address>:$(PORT)/"
	( while sleep 300; do $(NODE_ENV) $(PY) manage.py node_sync || true; done ) & loop=$$!; \
	trap "kill $$loop" EXIT INT TERM; $(NODE_ENV) $(PY) manage.py runserver 0.0.0.0:$(PORT)
