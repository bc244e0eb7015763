# Formatting, linting and type-checking of the TypeScript sources (generated/ is excluded).
TS_PROJECTS := $(patsubst %/tsconfig.json,%,$(wildcard tools/tsconfig.json handlers/tsconfig.json infra/tsconfig.json local/tsconfig.json clients/typescript/tsconfig.json dashboard/tsconfig.json site/tsconfig.json))

.PHONY: format typecheck lint-code
format: $(INSTALL_STAMP) ## Format the sources with Biome
	biome format --write .

lint-code: $(INSTALL_STAMP)
	biome check .

typecheck: $(INSTALL_STAMP) generate ## Type-check every workspace with tsc (includes the type tests)
	@for project in $(TS_PROJECTS); do echo "tsc -p $$project"; tsc -p $$project || exit 1; done
