# The single entry point. Every target creates the virtual environment on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
PORT   ?= 8000
MOTO_PORT ?= 5000
ROLE   ?= hr
PYTEST_ARGS ?=

.PHONY: venv run token test lint unit integration e2e bench simulate package openapi clean

$(STAMP): requirements.txt requirements-dev.txt Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==26.2.1"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

## Start the whole product on the local stack (moto, Cognito, API on 127.0.0.1:$(PORT), event pump).
run: venv
	$(PY) -m infra.local --port $(PORT) --moto-port $(MOTO_PORT)

## A fresh bearer token for a demo role of the running local stack: make token ROLE=manager
token: venv
	@$(PY) -m infra.local.token --role $(ROLE)

## Lint, type-check, then every test (unit, integration, package, e2e).
test: lint
	$(PY) -m pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

unit: venv
	$(PY) -m pytest -q tests/unit

integration: venv
	$(PY) -m pytest -q tests/integration -m "not package"

e2e: venv
	$(PY) -m pytest -q tests/e2e

## Figures measured side by side in one run (see docs/benchmarks.md).
bench: venv
	$(PY) -m tests.bench

## One whole hiring event through the product's handlers, with a reconciliation report: make simulate N=10000
N ?= 10000
simulate: venv
	$(PY) -m tests.sim --applications $(N)

## Regenerate the committed OpenAPI document from the route table and models.
openapi: venv
	$(PY) -m functions.openapi > docs/openapi.json

## The AWS deployment package: dist/deployment.zip and dist/sam.json (merged with infra/template.json).
package: venv
	$(PY) -m infra.package --out dist

clean:
	rm -rf $(VENV) vendor dist .local-stack .pytest_cache .mypy_cache .ruff_cache
