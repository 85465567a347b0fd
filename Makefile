# Hunar's commands. `make run` and `make test` each work alone on a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

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
	@echo "Hunar is at http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)"
	$(PY) manage.py runserver 127.0.0.1:8000

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
