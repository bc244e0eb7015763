# Contract lint: Redocly (recommended rules, .redocly.yaml), Spectral with the OWASP API
# Security ruleset (.spectral.yaml) and the AsyncAPI parser. Zero errors and zero warnings pass.
# lint-code (Biome) is defined in mk/00-quality.mk.
CONTRACT_LINT_DIR := .cache/contract-lint

.PHONY: lint lint-contract lint-openapi lint-spectral lint-asyncapi
lint: lint-contract lint-code ## Lint the contract (Redocly, Spectral OWASP, AsyncAPI) and the code (Biome)

lint-contract: lint-openapi lint-spectral lint-asyncapi

lint-openapi: $(INSTALL_STAMP)
	redocly lint api/openapi.yaml --config .redocly.yaml --max-problems 1000

# Spectral reads the bundled document; .spectral.yaml says why and addresses its overrides to it.
lint-spectral: $(INSTALL_STAMP)
	@mkdir -p $(CONTRACT_LINT_DIR)
	redocly bundle api/openapi.yaml --config .redocly.yaml -o $(CONTRACT_LINT_DIR)/openapi.yaml
	spectral lint $(CONTRACT_LINT_DIR)/openapi.yaml --ruleset .spectral.yaml --fail-severity warn

lint-asyncapi: $(INSTALL_STAMP)
	node tools/contract-lint/asyncapi.mjs asyncapi/asyncapi.yaml
