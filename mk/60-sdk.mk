# The client SDK @katapp/client (clients/typescript): build, package checks, tests and the tarball.
SDK_DIR := clients/typescript

.PHONY: sdk-build sdk-check sdk-test sdk-test-live sdk-pack
sdk-build: $(INSTALL_STAMP) generate ## Build the SDK into clients/typescript/dist (ESM, CommonJS, declarations)
	cd $(SDK_DIR) && tsup

sdk-check: sdk-build ## Check the SDK package with publint and are-the-types-wrong
	cd $(SDK_DIR) && publint --strict && attw --pack .

sdk-test: $(INSTALL_STAMP) generate ## Run the SDK tests only
	vitest run --project client

# The local-platform tests need the synthesized template (LOCAL_TEMPLATE, mk/50-local.mk); without
# KATAPP_SDK_LIVE=1 they skip when it is missing, so `make test` runs them only after a synth.
sdk-test-live: $(INSTALL_STAMP) generate $(LOCAL_TEMPLATE) ensure-java ## Run the SDK tests against the local platform (synthesizes first)
	KATAPP_SDK_LIVE=1 vitest run --project client clients/typescript/test/platform.test.ts

sdk-pack: sdk-check ## Pack the SDK tarball into clients/typescript/.pack for publishing or manual installs
	mkdir -p $(SDK_DIR)/.pack
	cd $(SDK_DIR) && npm pack --pack-destination .pack
