# podbay — `make help` lists the targets. The Makefile is the interface (STYLE.md §12);
# package.json scripts stay thin and the shell work lives in scripts/.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Debian packages the node agent drives (ARCHITECTURE.md: runc, conmon, the CNI
# reference plugins, catatonit as the pause process; busybox-static for test images;
# iproute2 for `ip netns`; iptables for the CNI portmap plugin (hostPort rules); attr (setfattr) for overlayfs opaque dirs in unpacked layers;
# docker-registry, Distribution 2.8, for the image pull tests). Issue 4 appends here.
DEB_PACKAGES := runc conmon containernetworking-plugins catatonit busybox-static iproute2 iptables attr docker-registry socat

# Node 20's runner takes os.availableParallelism()-1 files at a time (1 on 2 cores);
# e2e files mostly wait on kubectl and the server, so a few run side by side.
TEST_CONCURRENCY ?= 4
# A test that hangs fails after this long instead of stalling the run (ms, per test).
TEST_TIMEOUT_MS ?= 180000
DATA_DIR ?=
UNIT_TESTS = $$(find dist/src -name '*.test.js' | sort)
E2E_TESTS = $$(find dist/test -path '*/e2e/*' -name '*.test.js' | sort)

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

deps: node_modules/.package-lock.json ## install missing Debian packages (apt-get) and npm packages (npm ci)
	@scripts/install-deb-packages.sh $(DEB_PACKAGES)

# npm ci writes node_modules/.package-lock.json; newer than the lockfile means done.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci
	@touch $@

build: node_modules/.package-lock.json ## compile TypeScript to dist/ and write ./bin/podbay
	npx tsc -p tsconfig.json
	@scripts/prune-dist.sh dist
	@scripts/write-launcher.sh bin/podbay dist/src/main.js

up: deps build ## start podbay in the foreground (data dir: /var/lib/podbay as root, ~/.podbay otherwise)
	@scripts/import-busybox.sh ./bin/podbay $(if $(DATA_DIR),--data-dir $(DATA_DIR))
	exec ./bin/podbay up $(if $(DATA_DIR),--data-dir $(DATA_DIR))

verify: node_modules/.package-lock.json ## format check, lint (type-aware), layer rules, tsc --noEmit
	@scripts/verify-all.sh

update: node_modules/.package-lock.json ## rewrite what verify checks and can fix (formatting)
	@scripts/update-format.sh

test-unit: build ## quick tiers: unit and lifecycle tests beside the code (no root)
	node --test --test-concurrency=$(TEST_CONCURRENCY) --test-timeout=$(TEST_TIMEOUT_MS) $(UNIT_TESTS)

test: deps build ## verify + every tier: unit, integration (root), e2e with real kubectl; one summary at the end
	@TEST_CONCURRENCY=$(TEST_CONCURRENCY) TEST_TIMEOUT_MS=$(TEST_TIMEOUT_MS) scripts/test-all.sh

test-e2e: build ## only the end-to-end tier (real kubectl against ./bin/podbay)
	node --test --test-concurrency=$(TEST_CONCURRENCY) --test-timeout=$(TEST_TIMEOUT_MS) $(E2E_TESTS)

bench-api: build ## API benchmark: 2,000 Pod creates, list, 100 watchers, raw SQLite baseline (not a test)
	node dist/bench/api/run.js

bench-sim: build ## simulated cluster: 100 sim nodes, 10,000 Pods to Running, API p99 and peak RSS vs an empty cluster (not a test)
	node dist/bench/sim/sim-cluster.bench.js

bench-startup: build ## real Pods (root): apply → Ready, delete, a burst of 50, agent idle, vs the floor and podman (not a test)
	node dist/bench/startup/run.js

clean: ## remove build output and ./bin/podbay
	rm -rf dist bin/podbay

.PHONY: help deps build up verify update test-unit test test-e2e bench-api clean
