# The two quick-start commands: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint format system-deps postgres clean

# The virtual environment is rebuilt whenever pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/workshop init
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT) --server.address 0.0.0.0

# Debian's Chromium drives the browser tests and zbar decodes the QR code;
# nothing downloads a browser of its own.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v zbarimg >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && apt-get install -y -qq chromium zbar-tools >/dev/null; \
		else \
			echo "Browser tests need: sudo apt-get install -y chromium zbar-tools"; \
		fi; \
	fi

# The store's tests also run against PostgreSQL on 127.0.0.1:5432 (database `test`).
postgres:
	@if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true; \
	fi

test: $(BIN)/.installed system-deps postgres
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
