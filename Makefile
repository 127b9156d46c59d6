# Two commands on a fresh machine: `make site` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Where the site will be served: used only for the absolute links of feed.xml, sitemap.xml, robots.txt
BASE_URL ?= http://localhost:8000
STAMP  := $(VENV)/.installed-stamp

.PHONY: site check test lint bench clean

$(STAMP): pyproject.toml scripts/bootstrap_venv.py
	$(PYTHON) scripts/bootstrap_venv.py $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

## site: check every report, then build the archive from content/ into site/ (nothing is written on errors)
site: $(STAMP)
	$(BIN)/nianbao build --content content --out site --base-url $(BASE_URL)

## check: report every problem in every file, one line each (exit 1 on any error)
check: $(STAMP)
	$(BIN)/nianbao check --content content

## test: the test suite
test: $(STAMP)
	$(BIN)/pytest

## lint: ruff (rules and line length in pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check generator tests scripts

## bench: build a synthetic archive of N reports (default 1000) and print what each kind of build costs
N ?= 1000
bench: $(STAMP)
	$(BIN)/python scripts/bench.py --reports $(N)

clean:
	rm -rf site .cache
