# The two commands a newcomer needs: `make run` and `make test` (and `make lint` before a commit).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
# The venv is reinstalled whenever the project's metadata changes (setup.cfg only if someone brings one back).
META   := pyproject.toml $(wildcard setup.cfg)
STAMP  := $(VENV)/.installed-$(shell cat $(META) | cksum | cut -d' ' -f1)

DATA   ?= demo-data

.PHONY: run test lint venv bench screenshots i18n clean sysdeps guideps dist deb dist-compat

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): $(PY) $(META)
	$(PY) -m pip install -q -e '.[dev,dist]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

sysdeps:
	@bash tools/ensure_system_packages.sh --gui

# The program's window also needs Qt's X11 (xcb) libraries.
guideps:
	@bash tools/ensure_system_packages.sh --gui

# Opens the GUI on the office in $(DATA); the first time, on a new demo office (synthetic people).
run: $(STAMP) guideps
	$(PY) -m app.tools.translations build
	$(VENV)/bin/doudi --data-dir $(DATA) --demo-if-empty

test: $(STAMP) sysdeps
	$(PY) -m app.tools.translations build
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# ruff, mypy and the import contracts; the checks CI runs before the tests.
lint: $(STAMP)
	bash tools/lint.sh

bench: $(STAMP)
	$(PY) -m bench.store_ratio
	$(PY) -m bench.monthly_close

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tools/screenshots.py

# The frozen one-folder program in dist/doudi for offices without Python (docs/install.md).
# (PyInstaller comes with the venv: the tests build the frozen program too.)
dist: $(STAMP)
	bash tools/build_dist.sh

# dist/doudi_<version>_<arch>.deb from that folder: /opt/doudi, /usr/bin/doudi, the 兜底 menu entry.
deb: dist
	bash tools/build_deb.sh

# dist/compat/doudi and its .deb for UOS 20 and Kylin V10 (glibc 2.28): Python and every wheel
# built for that glibc, checked file by file (docs/install.md, "Older systems"; about 12 minutes the
# first time). It uses the system python3 and a venv of its own.
dist-compat:
	bash tools/build_dist_compat.sh

clean:
	rm -rf $(VENV) build dist *.egg-info
