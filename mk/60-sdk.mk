# The client SDK @katapp/client (clients/typescript): build, package checks, tests and the tarball.
SDK_DIR := clients/typescript

.PHONY: sdk-build sdk-check sdk-test sdk-pack
sdk-build: $(INSTALL_STAMP) generate ## Build the SDK into clients/typescript/dist (ESM, CommonJS, declarations)
	cd $(SDK_DIR) && tsup

sdk-check: sdk-build ## Check the SDK package with publint and are-the-types-wrong
	cd $(SDK_DIR) && publint --strict && attw --pack .

sdk-test: $(INSTALL_STAMP) generate ## Run the SDK tests only
	vitest run --project client

sdk-pack: sdk-check ## Pack the SDK tarball into clients/typescript/.pack for publishing or manual installs
	mkdir -p $(SDK_DIR)/.pack
	cd $(SDK_DIR) && npm pack --pack-destination .pack
