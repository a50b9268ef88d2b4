# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | cksum | cut -d' ' -f1)

DATA   ?= demo-data

.PHONY: run test venv bench screenshots i18n clean sysdeps

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): $(PY) setup.cfg pyproject.toml
	$(PY) -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

sysdeps:
	@bash tools/ensure_system_packages.sh

# Opens the GUI on the office in $(DATA); the first time, on a new demo office (synthetic people).
run: $(STAMP) sysdeps
	$(PY) -m app.tools.translations build
	$(VENV)/bin/doudi --data-dir $(DATA) --demo-if-empty

test: $(STAMP) sysdeps
	$(PY) -m app.tools.translations build
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(STAMP)
	$(PY) -m bench.store_ratio
	$(PY) -m bench.monthly_close

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tools/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info
