# KatApp Platform: every entry point is a make target.
# The project brings its own Node 24 (the npm package "node"); node_modules/.bin comes first on PATH.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
# Tools that report usage or check for updates are switched off everywhere.
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true
export CDK_DISABLE_CLI_TELEMETRY := true
export SCARF_ANALYTICS := false
export PUPPETEER_SKIP_DOWNLOAD := 1
export AWS_EC2_METADATA_DISABLED := true
export NO_UPDATE_NOTIFIER := 1
export NPM_CONFIG_UPDATE_NOTIFIER := false
export NPM_CONFIG_FUND := false
export NPM_CONFIG_AUDIT := false
export VITE_CJS_IGNORE_WARNING := true

INSTALL_STAMP := node_modules/.katapp-install-stamp

.PHONY: help install
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(INSTALL_STAMP) ## Install npm packages and the project's Node 24

$(INSTALL_STAMP): package.json package-lock.json $(wildcard */package.json) clients/typescript/package.json
	tools/bootstrap/install.sh
	@touch $@

include $(sort $(wildcard mk/*.mk))
