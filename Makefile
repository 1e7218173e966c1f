# `make run`  : virtualenv, requirements, migrations, content, demo accounts; serves on 127.0.0.1:$(PORT)
# `make test` : virtualenv, requirements, the whole test suite (TEST_DATABASE_URL selects PostgreSQL)
# `make bench`: grading and page benchmarks (figures for the issue notes)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
FLASK  := $(BIN)/flask --app run

.PHONY: run test bench setup db content clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the requirement files change.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

db: setup
	$(FLASK) db upgrade

content: db
	$(FLASK) content load

run: content
	$(FLASK) demo setup
	@echo "打开 http://127.0.0.1:$(PORT)/ （Ctrl+C 停止）"
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - run:app

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/bench_grading.py
	$(BIN)/python bench/bench_load.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
