# Quick start: `make run` serves the app on http://127.0.0.1:5000; `make test` runs the whole test suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app mediation
# Debian packages: PDFs need a CJK font and HarfBuzz subsetting (fast font embedding);
# browser tests need Debian's chromium; pdftoppm (poppler-utils) turns PDFs into images.
SYSTEM_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 python3-venv
TEST_SYSTEM_PACKAGES := chromium poppler-utils

.PHONY: run test system-deps system-test-deps venv translations messages db demo bench clean

run: system-deps venv translations db
	@echo "Serving on http://127.0.0.1:5000 (first run: open it to create the administrator)"
	$(FLASK) run --host 127.0.0.1 --port 5000

test: system-deps system-test-deps venv translations
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

system-deps:
	@bash scripts/system-deps.sh $(SYSTEM_PACKAGES)

system-test-deps:
	@bash scripts/system-deps.sh $(TEST_SYSTEM_PACKAGES)

venv: $(VENV)/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	@touch $@

translations: venv
	@$(VENV)/bin/pybabel compile -d mediation/translations -D messages >/dev/null

# After changing user-facing strings: refresh the template and the Chinese catalogue (then translate).
messages: venv
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -w 100 -o mediation/translations/messages.pot .
	$(VENV)/bin/pybabel update --no-fuzzy-matching -w 100 -i mediation/translations/messages.pot -d mediation/translations

db: venv
	$(FLASK) db upgrade
	$(FLASK) deadlines refresh --which missing

demo: db
	$(FLASK) demo

bench: venv translations
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache
