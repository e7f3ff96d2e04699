# Two entry points: `make run` opens the viewer, `make test` runs the whole suite.
# Both create .venv, install the project, and make sure the Debian packages a
# virtual X screen needs are present (installed when run as root, otherwise the
# exact apt command is printed).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEBS := xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 \
        libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 \
        libgl1-mesa-dri libegl1 libgl1 libglx-mesa0 libdbus-1-3 libfontconfig1 fonts-dejavu-core

.PHONY: run test system venv lint clean

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

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $(STAMP)

venv: $(STAMP)

run: system venv
	@if [ -n "$$DISPLAY" ]; then $(BIN)/l5s1-viewer; else xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/l5s1-viewer; fi

test: system venv
	$(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check meshes annotations viewer tests tools benchmarks

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
