# Two commands: `make run` (demo on SQLite) and `make test` (the whole suite).
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install system-deps clean

$(PY):
	@python=$$(scripts/find-python.sh) && echo "Using $$python" && $$python -m venv $(VENV)

$(STAMP): $(PY) requirements.lock pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/tongxin demo
	scripts/serve.sh $(PORT)

system-deps:
	scripts/system-deps.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

test: $(STAMP) system-deps lint
	$(VENV)/bin/pytest -n auto --dist loadfile $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var staticfiles
