# ssb-interface: `make test` and `make demo` set everything up themselves.
#
# They find a Python >= 3.12 (the PYTHON variable, then python3.13/python3.12/
# python3 on PATH, then any pyenv-installed 3.12+), build .venv from it, install
# the package with its extras, then test or run. Re-running is quick: the venv
# is rebuilt only when pyproject.toml changes.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := help

VENV    ?= .venv
PY      := $(VENV)/bin/python
MPIEXEC := $(VENV)/bin/mpiexec
STAMP   := $(VENV)/.ssbi-installed
EXTRAS  ?= fem,dev
NP      ?= 2

export PYBAMM_DISABLE_TELEMETRY := true
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MPLBACKEND := Agg

# Print the first interpreter >= 3.12 found, or nothing.
define find_python
for c in $${PYTHON:-} python3.13 python3.12 python3 \
         $$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
  [ -n "$$c" ] || continue; \
  if "$$c" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    command -v "$$c" 2>/dev/null || echo "$$c"; break; \
  fi; \
done
endef

.PHONY: help venv test test-serial test-mpi demo demo-full verify lint bench docs clean distclean

help:
	@echo "make test    - set up .venv (first time) and run the test suite, serial and under mpiexec -n $(NP)"
	@echo "make demo    - set up .venv (first time) and run the headline trade-off case (smoke size)"
	@echo "make demo-full - the same case at full size"
	@echo "make verify  - the analytic verification table (ssbi verify)"
	@echo "make bench   - the benchmarks in benchmarks/ (long)"
	@echo "make lint    - ruff"

$(STAMP): pyproject.toml
	@py="$$($(find_python))"; \
	if [ -z "$$py" ]; then \
	  echo "error: no Python >= 3.12 found (tried \$$PYTHON, python3.13, python3.12, python3, pyenv versions)." >&2; \
	  echo "       install one (e.g. 'pyenv install 3.12') or run 'make PYTHON=/path/to/python3.12 test'." >&2; \
	  exit 2; \
	fi; \
	if [ ! -x "$(PY)" ] || ! "$(PY)" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "creating $(VENV) with $$py ($$("$$py" --version 2>&1))"; \
	  rm -rf "$(VENV)"; "$$py" -m venv "$(VENV)" || exit 1; \
	fi
	$(PY) -m pip install --quiet --upgrade pip 2>&1 | { grep -v "^WARNING: Location" || true; }
	$(PY) -m pip install --quiet -e ".[$(EXTRAS)]" 2>&1 | { grep -v "^WARNING: Location" || true; }
	@touch $(STAMP)

venv: $(STAMP)

# The MPI pass runs under `timeout` so that a deadlock fails instead of hanging CI.
MPI_TIMEOUT ?= 1500

test: $(STAMP)
	$(VENV)/bin/ruff check interface tests benchmarks
	$(PY) -m pytest -q tests
	timeout $(MPI_TIMEOUT) $(MPIEXEC) -n $(NP) $(PY) -m mpi4py -m pytest -q -m mpi -p no:cacheprovider tests

test-serial: $(STAMP)
	$(PY) -m pytest -q tests

test-mpi: $(STAMP)
	timeout $(MPI_TIMEOUT) $(MPIEXEC) -n $(NP) $(PY) -m mpi4py -m pytest -q -m mpi -p no:cacheprovider tests

demo: $(STAMP)
	$(VENV)/bin/ssbi run cases/tradeoff_nmc811_lpscl_li.toml --smoke -o out/demo --force

demo-full: $(STAMP)
	$(VENV)/bin/ssbi run cases/tradeoff_nmc811_lpscl_li.toml -o out/demo-full --force

verify: $(STAMP)
	$(VENV)/bin/ssbi verify

bench: $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lint: $(STAMP)
	$(VENV)/bin/ruff check interface tests benchmarks

clean:
	rm -rf out .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) meshes/cache
