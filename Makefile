# crisisd: the two commands a new machine needs are `make run` and `make test`.
SWIFT ?= swift
CONFIG ?= Deploy/crisisd.example.toml

.PHONY: setup build run test check-config release bench man install uninstall clean format

setup:
	@scripts/setup

build: setup
	$(SWIFT) build

## Run the daemon in the foreground on the example config (state in ./.state, pages on the console).
run: build
	.build/debug/crisisd --config $(CONFIG)

## Run the whole test suite (Swift Testing), the way CI does. One test at a time, for a measured
## reason: in parallel it takes 52 s instead of 113 s on 2 cores, but 2 of 377 tests fail (the
## end-to-end tests measure a real daemon's timing, not how well two cores share ten daemons).
## A run that hangs is stopped after 15 minutes with every thread's stack (scripts/run-tests).
test:
	@scripts/setup --tests
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) scripts/run-tests

check-config: build
	.build/debug/crisisctl check-config --config $(CONFIG)

release: setup
	$(SWIFT) build -c release

## crisisd against Prometheus Alertmanager on this machine (Benchmarks/README.md): installs what it
## needs, builds release, runs under 10 minutes on 127.0.0.1, writes Benchmarks/results/latest.json.
bench:
	SWIFT=$(SWIFT) Benchmarks/run

## The man pages Deploy/man/crisisd.8 and crisisctl.1, from the commands' help (CI checks they match).
man: build
	SWIFT=$(SWIFT) scripts/man

## As root: install the release build as a systemd service (Deploy/install.sh; DESTDIR= for another root).
install: release
	DESTDIR=$(DESTDIR) Deploy/install.sh --binaries .build/release

uninstall:
	DESTDIR=$(DESTDIR) Deploy/uninstall.sh

format:
	swift format --in-place --recursive Sources Tests Package.swift

clean:
	rm -rf .build .state
