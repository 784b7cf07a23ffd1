# SUAS Desktop — the two commands of the README (`make run`, `make test`) and developer helpers.
# Everything installs from the project's own files: system packages via scripts/system-deps.sh,
# Python packages pinned in requirements/lock.txt into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test setup system-deps lint format lock clean kill-test screenshot

$(STAMP): pyproject.toml requirements/lock.txt
	@scripts/system-deps.sh $(if $(DISPLAY),,--with-gui)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP)

## Open the app on its default local data folder (under Xvfb when there is no display).
run: setup
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then \
		$(BIN)/suas-desktop; \
	else \
		echo "Sem tela disponível: abrindo o SUAS Desktop num servidor X virtual (Xvfb)."; \
		xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/suas-desktop; \
	fi

## Lint, layer contracts and the whole test suite, headless.
test: setup
	$(BIN)/ruff check suas_desktop tests build resources
	$(BIN)/ruff format --check suas_desktop tests
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

## The long kill test (1,000 runs) that the normal suite runs 50 times.
kill-test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests/integration/test_kill_writer.py --kill-runs=1000

lint: setup
	$(BIN)/ruff check suas_desktop tests
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff format suas_desktop tests
	$(BIN)/ruff check --fix suas_desktop tests

## Re-pin every package after a dependency change in pyproject.toml.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e ".[dev]"
	( echo "# Exact versions of every package (runtime + test tools). Regenerate with \`make lock\`."; \
	  .venv-lock/bin/pip freeze --all --exclude-editable | grep -v "^pip==" ) > requirements/lock.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis dist .pyinstaller-work *.egg-info
