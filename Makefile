# The two quick-start commands: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint format messages system-deps postgres clean

# Two stamps, both rebuilt whenever pyproject.toml changes: running needs only the package and
# its dependencies; the tests add their extras (pytest, Playwright, ruff...) on top.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(BIN)/.installed-test: $(BIN)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The server creates or migrates the database itself, and prints one banner: where the
# facilitator and the phones go, and a warning if the QR code points where it does not listen.
run: $(BIN)/.installed
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT) --server.address 0.0.0.0

# Debian's Chromium drives the browser tests, zbar decodes the QR code, and nginx stands in
# front of two Tandem processes in tests/test_two_processes.py (openssl makes its throwaway
# certificate); nothing downloads a browser of its own. Installing nginx would also start a
# system nginx on port 80 (its postinst runs invoke-rc.d), which nothing here needs: a
# policy-rc.d that refuses (exit 101) stops that, and is removed afterwards. One that was
# already there (Docker images ship one) is left alone.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v zbarimg >/dev/null \
			|| ! command -v openssl >/dev/null \
			|| ! { command -v nginx || test -x /usr/sbin/nginx; } >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			made_policy=; \
			if [ ! -e /usr/sbin/policy-rc.d ]; then \
				printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d \
					&& chmod 755 /usr/sbin/policy-rc.d && made_policy=1; \
			fi; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq chromium zbar-tools nginx openssl >/dev/null; \
			installed=$$?; \
			if [ -n "$$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi; \
			exit $$installed; \
		else \
			echo "Browser and two-process tests need: sudo apt-get install -y chromium zbar-tools nginx openssl"; \
		fi; \
	fi

# The store's tests also run against PostgreSQL on 127.0.0.1:5432 (database `test`).
postgres:
	@if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true; \
	fi

test: $(BIN)/.installed-test system-deps postgres
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

# Gather the interface strings into workshop/locale (then translate the empty msgstr lines).
messages: $(BIN)/.installed
	$(BIN)/python tools/messages.py

lint: $(BIN)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
