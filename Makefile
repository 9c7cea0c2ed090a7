# Two commands on a fresh machine:
#   make app    set up .venv and start the app on the bundled bank (make app BANK=path/to/bank for yours)
#   make test   set up .venv, then lint (ruff), type-check (mypy) and run the whole test suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: app test test-cluster setup bench screenshot clean

$(BIN)/kg: pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	# CPU build of torch first: the semantic extra would otherwise pull a multi-GB CUDA build.
	$(BIN)/pip install -c constraints.txt torch==2.13.0
	# The versions the figures were measured with (constraints.txt): other versions can move the scores.
	$(BIN)/pip install -c constraints.txt -e ".[semantic,test]"
	touch $(BIN)/kg

setup: $(BIN)/kg

app: setup
	$(BIN)/streamlit run app.py $(if $(BANK),-- $(BANK))

# The suite on a worker per core, at most four (pytest-xdist; each worker loads spaCy and the embedder
# once): on two cores it takes 11 minutes instead of 20. worksteal hands the slow browser tests round.
test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -n auto --maxprocesses=4 --dist worksteal

# Not part of `make test`: the cluster tests start Ray workers that each load spaCy, a minute or two
# on two busy cores, and the extra is a large download; without it they skip.
test-cluster: setup
	$(BIN)/pip install -c constraints.txt -e ".[cluster]"
	$(BIN)/pytest -m cluster tests/test_cluster.py

bench: setup
	$(BIN)/python bench/concepts.py
	$(BIN)/python bench/duplicates.py
	$(BIN)/python bench/relations.py
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/app_speed.py

screenshot: setup
	KG_SCREENSHOT=docs/screenshot.png $(BIN)/pytest -m browser -k click tests/test_browser.py

clean:
	rm -rf $(VENV) .kg-cache .pytest_cache
