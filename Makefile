# Two entry points: `make run` opens the viewer, `make test` runs the whole suite.
# Both create .venv with exactly the packages in uv.lock, and make sure the Debian
# packages a virtual X screen needs are present (installed when run as root, otherwise
# the exact apt command is printed).
#
# `make test-latest` tries the newest versions pyproject.toml allows, in .venv-latest;
# `make lock` refreshes uv.lock to them (commit it once `make test` passes on it).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# uv installs the locked set; it is itself pinned and lives in its own folder.
UV_VERSION := 0.13.9
UV_HOME := .uv
UV := $(UV_HOME)/bin/uv
# Use the machine's Python; never download one.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
# Compile .pyc at install time, as pip does: the first start is then as quick as the rest.
export UV_COMPILE_BYTECODE := 1
DEBS := xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 \
        libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 \
        libgl1-mesa-dri libegl1 libgl1 libglx-mesa0 libdbus-1-3 libfontconfig1 fonts-dejavu-core
# The Khronos glTF validator, for the glb export test (pinned in tools/gltf-validator).
VALIDATOR := tools/gltf-validator/node_modules/gltf-validator/package.json

.PHONY: run test test-latest lock system venv validator lint wheel clean

system:
	@missing=""; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing) >/dev/null; \
	  else \
	    echo "Missing Debian packages. Run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

$(UV):
	$(PYTHON) -m venv $(UV_HOME)
	$(UV_HOME)/bin/python -m pip install -q "uv==$(UV_VERSION)"

# --frozen: install uv.lock exactly as committed, and fail rather than re-resolve.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra test
	touch $(STAMP)

venv: $(STAMP)

# Optional: without node or npm the glb validation test skips and says why.
validator:
	@if [ ! -f $(VALIDATOR) ] && command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tools/gltf-validator --silent --no-audit --no-fund || echo "gltf-validator not installed; its test will skip"; \
	fi

run: system venv
	@if [ -n "$$DISPLAY" ]; then $(BIN)/l5s1-viewer; else xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/l5s1-viewer; fi

test: system venv validator
	$(BIN)/python -m pytest -q

# The newest releases pyproject.toml allows, ignoring the lock: how an upgrade is tried on purpose.
test-latest: system validator | $(UV)
	$(UV) venv -q --clear .venv-latest
	VIRTUAL_ENV=.venv-latest $(UV) pip install -q --upgrade --resolution highest -e ".[test]"
	@.venv-latest/bin/python -c "import vtk, pyvista, PyQt6.QtCore as q, numpy, trimesh; \
	  print('latest: VTK', vtk.vtkVersion.GetVTKVersion(), '| PyVista', pyvista.__version__, \
	  '| PyQt6', q.PYQT_VERSION_STR, '| numpy', numpy.__version__, '| trimesh', trimesh.__version__)"
	.venv-latest/bin/python -m pytest -q || { echo "make test-latest: the newest allowed releases fail the suite (above); uv.lock keeps the tested set"; exit 1; }

# Re-resolve every dependency to its newest allowed release; commit uv.lock once `make test` passes.
lock: | $(UV)
	$(UV) lock --upgrade

lint: venv
	$(BIN)/ruff check meshes annotations viewer tests tools benchmarks

# A wheel for teachers (no clone needed) and the locked versions to install it with.
wheel: | $(UV)
	$(UV) build -q --wheel -o dist
	$(UV) export -q --frozen --no-hashes --no-emit-project --no-header -o dist/constraints.txt

clean:
	rm -rf $(VENV) .venv-latest $(UV_HOME) .pytest_cache build dist *.egg-info tools/gltf-validator/node_modules
