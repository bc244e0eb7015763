# API documentation site (site/dist/api) and the contract mock (Prism behind a small front proxy).
# The user documentation (site/docs) joins `docs` as a second prerequisite when it exists.
MOCK_PORT ?= 4010

.PHONY: docs docs-api mock
docs: docs-api ## Build the documentation into site/dist (KATAPP_API_URL sets the "Try it out" base URL)

# The build compares a stamp over its inputs and exits at once when nothing changed; FORCE=1 rebuilds.
docs-api: $(INSTALL_STAMP)
	tsx tools/docs/src/build.ts $(if $(FORCE),--force)

mock: $(INSTALL_STAMP) ## Serve the contract's examples on 127.0.0.1:4010 with request validation (MOCK_PORT=...)
	tsx tools/mock/start.ts --port $(MOCK_PORT)
