# nabolag: `make demo` runs the Oslo demo, `make test` runs the whole suite on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# The browser tests drive Debian's chromium through Playwright (never `playwright install`).
CHROMIUM := /usr/bin/chromium
WRK := /usr/bin/wrk
# The report tests read PDFs with pdftotext and save first pages as PNG with pdftoppm (poppler-utils);
# WeasyPrint needs Pango.
PDFTOPPM := /usr/bin/pdftoppm

.PHONY: demo test bench setup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

demo: $(STAMP)
	mkdir -p demo
	rm -f demo/nabolag-demo.sqlite demo/nabolag-demo.sqlite-wal demo/nabolag-demo.sqlite-shm
	$(BIN)/nabolag --database sqlite:///demo/nabolag-demo.sqlite demo --host $(HOST) --port $(PORT)

test: $(STAMP) $(CHROMIUM) $(PDFTOPPM)
	scripts/test.sh

# Installed only when missing; as root directly, otherwise through sudo.
$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests"
	@SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$SUDO apt-get update -qq && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		chromium fonts-liberation >/dev/null

bench: $(STAMP) $(WRK) $(PDFTOPPM)
	$(BIN)/python -m bench

# Debian's wrk drives the web benchmark from outside the server process.
$(WRK):
	@echo "Installing Debian's wrk for the web benchmark"
	@SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$SUDO apt-get update -qq && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null

$(PDFTOPPM):
	@echo "Installing Debian's poppler-utils and Pango for the report tests"
	@SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$SUDO apt-get update -qq && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null

clean:
	rm -rf $(VENV) demo test-artifacts bench/work
