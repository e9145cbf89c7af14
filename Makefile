# The single entry point. Every target creates the virtual environment on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
PORT   ?= 8000
MOTO_PORT ?= 5000
DAYS_AHEAD ?= 0
ROLE   ?= hr
PYTEST_ARGS ?=

.PHONY: venv run token test lint unit integration e2e bench simulate package openapi routes clean console deps screenshots fuzz \
	iac-scan deploy destroy deploy-rehearsal

$(STAMP): requirements.txt requirements-dev.txt Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==26.2.1"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

## The web console: ECharts from the npm registry (console/package-lock.json), assets into console/dist/.
CONSOLE_SRC := $(wildcard console/src/*)
console/dist/.built: console/package.json console/package-lock.json $(CONSOLE_SRC)
	@command -v npm >/dev/null || { echo "npm is needed to build the console: make deps (or apt-get install npm)"; exit 1; }
	cd console && npm ci --no-audit --no-fund --loglevel=error
	rm -rf console/dist && mkdir -p console/dist
	cp console/src/* console/dist/
	cp console/node_modules/echarts/dist/echarts.min.js console/dist/echarts.min.js
	touch console/dist/.built

console: console/dist/.built

## System packages the browser tests need: Debian's chromium (driven by Playwright, no browser download)
## and a CJK font, so Chinese pages render (and screenshot) as text.
deps:
	@(test -x /usr/bin/chromium && test -d /usr/share/fonts/opentype/noto) || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)

## Start the whole product on the local stack (moto, Cognito, API on 127.0.0.1:$(PORT), event pump);
## DAYS_AHEAD=N starts with the business clock N days ahead.
run: venv console
	$(PY) -m infra.local --port $(PORT) --moto-port $(MOTO_PORT) --days-ahead $(DAYS_AHEAD)

## A fresh bearer token for a demo role of the running local stack: make token ROLE=manager
token: venv
	@$(PY) -m infra.local.token --role $(ROLE)

## Lint, type-check, then every test (unit, integration, package, e2e).
test: deps lint console
	$(PY) -m pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

lint: venv iac-scan
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/vulture

## checkov in its own environment (it pins a boto3 of its own), over the translated packaged template;
## every finding fixed or explained in infra/checkov-accepted.json.
CHECKOV_STAMP := $(VENV)/checkov/.installed-$(shell sha1sum requirements-checkov.txt | cut -c1-12)
$(CHECKOV_STAMP): requirements-checkov.txt | $(STAMP)
	test -x $(VENV)/checkov/bin/python || $(PYTHON) -m venv $(VENV)/checkov
	$(VENV)/checkov/bin/pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	rm -f $(VENV)/checkov/.installed-*
	touch $@

## The packaged template, rebuilt when what it is made of changes (make package also builds the console).
PACKAGE_SOURCES := $(shell git ls-files app.py functions shared infra .chalice requirements.txt 2>/dev/null)
dist/sam.json: $(PACKAGE_SOURCES) | $(STAMP)
	$(PY) -m infra.package --out dist

## cfn-lint (pinned in requirements-dev.txt) on the packaged SAM template, then checkov on its translation.
iac-scan: $(CHECKOV_STAMP) dist/sam.json
	$(VENV)/bin/cfn-lint dist/sam.json
	$(PY) -m infra.scan --dist dist

## The deployment rehearsed offline: the packaged template translated as make deploy does, created in moto.
deploy-rehearsal: dist/sam.json
	$(PY) -m infra.rehearsal --dist dist $(if $(STAGE),--stage $(STAGE))

## Deploy or remove one stage's stack (infra/stages/$(STAGE).json; AWS credentials from the environment).
STAGE ?=
deploy: venv package
	@test -n "$(STAGE)" || { echo "usage: make deploy STAGE=<name of a file in infra/stages/>"; exit 2; }
	$(PY) -m infra.deploy deploy --stage $(STAGE) --dist dist

destroy: venv
	@test -n "$(STAGE)" || { echo "usage: make destroy STAGE=<name of a file in infra/stages/>"; exit 2; }
	$(PY) -m infra.deploy destroy --stage $(STAGE)

unit: venv
	$(PY) -m pytest -q tests/unit

integration: venv
	$(PY) -m pytest -q tests/integration -m "not package"

e2e: venv deps console
	$(PY) -m pytest -q tests/e2e

## Figures measured side by side in one run (see docs/benchmarks.md); first the package's cold start.
bench: venv
	$(PY) -m tests.bench

## One whole hiring event through the product's handlers, with a reconciliation report (a few minutes;
## 10,000 by default: about 5 minutes; make simulate N=100000 is the 100,000-applicant event: 52-59 minutes, 14 GB)
N ?= 10000
simulate: venv
	$(PY) -m tests.sim --applications $(N) --progress

## schemathesis against the running local stack (started for the run if nothing answers on $(PORT)):
## every operation, positive and negative examples, as hr, manager, interviewer and it: make fuzz EXAMPLES=100
EXAMPLES ?= 25
fuzz: venv
	$(PY) -m tests.fuzz --url http://127.0.0.1:$(PORT) --examples $(EXAMPLES)

## Regenerate the committed OpenAPI document from the route table and models.
openapi: venv
	$(PY) -m functions.openapi > docs/openapi.json

## Regenerate the route table app.py registers (routes and event sources as the handler modules declare them).
routes: venv
	$(PY) -m functions.routing > functions/route_table.json

## The AWS deployment package for the python3.13 Lambda runtime (infra/build.py; needs CPython 3.13, pyenv's):
## dist/deployment.zip, dist/libraries-layer.zip and dist/sam.json (merged with infra/template.json).
package: venv console
	$(PY) -m infra.package --out dist

## Screenshots of the console's main pages into docs/screenshots/ (starts its own local stack).
screenshots: venv deps console
	SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest -q tests/e2e/test_console.py tests/e2e/test_console_work.py tests/e2e/test_console_mfa.py

clean:
	rm -rf $(VENV) vendor dist console/dist console/node_modules .local-stack .pytest_cache .mypy_cache .ruff_cache
