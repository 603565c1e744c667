# The two set-up commands (README): `make demo` and `make test`. Everything else is CMake presets.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
PRESET ?= release
BUILD_DIR := build/$(PRESET)
CTEST_ARGS ?=

.PHONY: deps configure build demo test test-unit bench asan fuzz clean

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Runs reval's main job on the built-in defaults (offline).
demo: build
	@bash scripts/demo.sh $(BUILD_DIR)/bin/reval $(MODEL)

# The whole test suite through CTest.
test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

test-unit: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

bench: build
	@bash scripts/bench.sh $(BUILD_DIR)

asan:
	@$(MAKE) test PRESET=asan

fuzz: deps
	@cmake --preset fuzz >/dev/null && cmake --build build/fuzz -j $(JOBS)

clean:
	@rm -rf build
