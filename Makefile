# SUAS Desktop — the two commands of the README (`make run`, `make test`) and developer helpers.
# Everything installs from the project's own files: system packages via scripts/system-deps.sh,
# Python packages pinned in requirements/lock.txt into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD_STAMP := $(VENV)/.build-installed
PYTEST_ARGS ?=
#: `make test` also builds the PyInstaller app once and runs it (tests/integration/test_frozen_build.py,
#: about a minute); FROZEN=0 skips that.
FROZEN ?= 1

.PHONY: run test setup system-deps lint format lock holiday-table clean kill-test screenshot

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

## Lint, layer contracts and the whole test suite, headless, with the frozen build.
test: setup $(BUILD_STAMP)
	$(BIN)/ruff check suas_desktop tests build resources
	$(BIN)/ruff format --check suas_desktop tests
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen SUAS_DESKTOP_TEST_FROZEN=$(FROZEN) $(BIN)/python -m pytest $(PYTEST_ARGS)

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

## Regenerate resources/holidays/br.json after upgrading `holidays` (a test compares the two).
holiday-table: setup
	$(BIN)/python scripts/make_holiday_table.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis dist .pyinstaller-work *.egg-info

# ---------------------------------------------------------------- packaging (issue 10, build/README.md)
DIST_APP := dist/suas-desktop
PORTABLE_DIR := dist/suas-desktop-portatil
APP_VERSION = $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' suas_desktop/__init__.py)
#: Smoke runs never touch the user's settings or data.
SMOKE_ENV = XDG_CONFIG_HOME="$$tmp/config" XDG_DATA_HOME="$$tmp/share" XDG_CACHE_HOME="$$tmp/cache"

.PHONY: dist dist-portable dist-smoke

# PyInstaller is pinned in requirements/build.txt, not in lock.txt, so `make test` stays lean.
$(BUILD_STAMP): requirements/build.txt $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/build.txt
	@touch $@

## The one-folder app in dist/suas-desktop/ (work files in .pyinstaller-work, never in build/).
dist: $(BUILD_STAMP)
	@start=$$(date +%s); \
	$(BIN)/pyinstaller build/suas_desktop.spec --noconfirm --log-level WARN \
		--workpath .pyinstaller-work --distpath dist || exit 1; \
	echo "Pronto em $$(( $$(date +%s) - start )) s: $(DIST_APP)/ ($$(du -sh $(DIST_APP) | cut -f1))"

define PORTABLE_README
SUAS Desktop $(APP_VERSION) - versão portátil

Esta pasta roda o SUAS Desktop sem instalar nada, por exemplo a partir de um pen drive.

Como usar
1. Copie a pasta "suas-desktop-portatil" inteira para o pen drive (ou para uma pasta em que você possa gravar).
2. Abra o programa: no Windows, "suas-desktop.exe"; no Linux, "suas-desktop".
3. Os dados ficam na pasta "dados", criada aqui mesmo na primeira vez. É o arquivo "PORTABLE" que liga
   este modo: não o apague, senão os dados passam a ficar na pasta do usuário do computador.

Cuidados
- Feche o SUAS Desktop e use "Remover hardware com segurança" antes de retirar o pen drive.
- A pasta "dados" guarda dados pessoais: mantenha o pen drive em local seguro e faça cópias de
  segurança com frequência (Configurações > Cópia de segurança).
- Não abra a mesma pasta de dados em dois computadores ao mesmo tempo. Para levar os dados a outro
  computador do município, use "Exportar pacote" (arquivo .suas protegido por senha).

Conferir se a cópia está inteira (abre, gera, assina e verifica numa pasta temporária):
- Windows: suas-desktop-cli.exe self-test
- Linux:   ./suas-desktop self-test
endef
export PORTABLE_README

## dist/suas-desktop-portatil/ (data in dados/ beside the program) and its zip, for USB sticks.
dist-portable:
	@test -x $(DIST_APP)/suas-desktop || $(MAKE) dist
	rm -rf $(PORTABLE_DIR) dist/suas-desktop-portatil-*.zip
	cp -a $(DIST_APP) $(PORTABLE_DIR)
	: > $(PORTABLE_DIR)/PORTABLE
	@# UTF-8 with BOM and CRLF line ends, so the Notepad of older Windows shows the accents.
	{ printf '\357\273\277'; printf '%s\n' "$$PORTABLE_README" | sed 's/$$/\r/'; } > $(PORTABLE_DIR)/LEIA-ME.txt
	@# zip -y keeps the Linux bundle's symlinks; without zip, Python's zipfile stores copies instead.
	cd dist && if command -v zip >/dev/null 2>&1; then \
		zip -qry suas-desktop-portatil-$(APP_VERSION).zip suas-desktop-portatil; \
	else \
		../$(BIN)/python -m zipfile -c suas-desktop-portatil-$(APP_VERSION).zip suas-desktop-portatil; \
	fi
	@echo "Pronto: $(PORTABLE_DIR)/ e dist/suas-desktop-portatil-$(APP_VERSION).zip ($$(du -h dist/suas-desktop-portatil-$(APP_VERSION).zip | cut -f1))"

## Frozen app smoke test: `self-test`, then the window offscreen over demo data (3 timed starts).
dist-smoke:
	@test -x $(DIST_APP)/suas-desktop || $(MAKE) dist
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	echo "Tamanho da pasta: $$(du -sh $(DIST_APP) | cut -f1) ($(DIST_APP)/)"; \
	$(SMOKE_ENV) QT_QPA_PLATFORM=offscreen timeout 300 $(DIST_APP)/suas-desktop self-test; \
	$(SMOKE_ENV) timeout 120 $(DIST_APP)/suas-desktop --data-dir "$$tmp/dados" demo > /dev/null; \
	for run in 1 2 3; do \
		start=$$(date +%s%N); \
		$(SMOKE_ENV) QT_QPA_PLATFORM=offscreen SUAS_DESKTOP_AUTOCLOSE_MS=1 \
			timeout 60 $(DIST_APP)/suas-desktop --data-dir "$$tmp/dados"; \
		end=$$(date +%s%N); \
		echo "Janela principal (offscreen, demonstração), início $$run: aberta e fechada em $$(( (end - start) / 1000000 )) ms"; \
	done; \
	echo "dist-smoke: tudo certo."

## Benchmarks (issue 11): builds its data in a temporary folder (~8 GB free space needed), about 10-15
## minutes; prints and writes benchmarks/results.md. See benchmarks/README.md.
.PHONY: bench bench-quick
bench: setup
	$(BIN)/python benchmarks/run.py

## The benchmarks' smoke subset: small data, under 2 minutes, prints only.
bench-quick: setup
	$(BIN)/python benchmarks/run.py --quick
