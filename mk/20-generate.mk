# Generated code: everything in generated/ is derived from api/ and asyncapi/ by tools/generator.
# A rerun with unchanged inputs only compares a stamp; FORCE=1 regenerates anyway.

.PHONY: generate generate-check
generate: $(INSTALL_STAMP) ## Regenerate generated/ from the contract (FORCE=1 rebuilds)
	tsx tools/generator/src/cli.ts $(if $(FORCE),--force)

generate-check: $(INSTALL_STAMP) ## Fail if generated/ differs from a fresh run of the generator
	tsx tools/generator/src/cli.ts --check
