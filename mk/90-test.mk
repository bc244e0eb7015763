# The whole suite: what .ci/run and a developer run.
.PHONY: test test-only
test: $(INSTALL_STAMP) generate lint typecheck ## Run the whole suite (installs what it needs)
	tools/bootstrap/ensure-java.sh
	tools/bootstrap/ensure-chromium.sh
	vitest run

test-only: $(INSTALL_STAMP) ## Run vitest without regenerating or linting first
	vitest run
