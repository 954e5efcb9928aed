# Two entry points for a fresh machine: `make example` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: install example test lint bench clean portal

$(BIN)/advisors: pyproject.toml plugins/*/pyproject.toml examples/portal/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' -e plugins/advisors-ortools -e plugins/advisors-xlsx -e plugins/advisors-outbox -e 'examples/portal[postgres,browser-test]'
	touch $(BIN)/advisors

install: $(BIN)/advisors

example: install
	$(BIN)/advisors plan examples/tongren --period 2026-12 --out out

test: install
	$(BIN)/ruff check src tests plugins benchmarks examples/portal
	$(BIN)/mypy
	bash .ci/postgres.sh run $(BIN)/python -m pytest -q  # a PostgreSQL for the portal's tests

portal: install  # the reference portal on the example: http://127.0.0.1:8000/
	$(BIN)/python -m portal --data out/portal serve --source examples/tongren --period 2026-12

bench: install  # every benchmark below national scale; add national by hand (minutes each)
	$(BIN)/python benchmarks/bench_load.py --scales township,prefecture,province
	$(BIN)/python benchmarks/bench_assign.py township prefecture province
	$(BIN)/python benchmarks/bench_flow.py province
	$(BIN)/python benchmarks/bench_schedule.py --scales prefecture
	$(BIN)/python benchmarks/bench_training.py --scale province
	$(BIN)/python benchmarks/bench_ics.py --events 100000
	$(BIN)/python benchmarks/bench_plan_stages.py --repeat 3

clean:
	rm -rf $(VENV) out
