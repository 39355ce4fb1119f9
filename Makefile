# podbay — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

node_modules: package.json package-lock.json
	npm ci
	@touch node_modules

build: node_modules ## compile TypeScript to dist/ and write ./bin/podbay
	npx tsc -p tsconfig.json
	@mkdir -p bin
	@printf '#!/usr/bin/env node\nimport("../dist/src/main.js");\n' > bin/podbay && chmod +x bin/podbay

test-unit: build ## quick tiers: unit tests beside the code (no root)
	node --test dist/src

.PHONY: help build test-unit
