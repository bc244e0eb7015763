# User and operator documentation: site/docs (VitePress, German at / and English at /en/) built into
# site/dist/docs. `docs` (mk/30-docs.mk) gets docs-user as a second prerequisite here, so `make docs` builds
# both sites. The build runs without network access where the machine allows a network namespace
# (unshare -rn), which proves it needs none. A rerun with unchanged inputs only compares a stamp; FORCE=1
# rebuilds. KATAPP_DOCS_BASE sets the URL path the site is served under (default /), KATAPP_APIDOC_URL the
# link to the API documentation (default http://127.0.0.1:3003/, the API docs of `make up`).
USERDOCS_LOCK := .cache/userdocs-build.lock
USERDOCS_OFFLINE = $(shell unshare -rn true 2>/dev/null && echo unshare -rn)

.PHONY: docs-user
docs: docs-user

docs-user: $(INSTALL_STAMP) ## Build the user documentation (German and English) into site/dist/docs
	@mkdir -p .cache
	flock $(USERDOCS_LOCK) $(USERDOCS_OFFLINE) tsx tools/userdocs/src/build.ts $(if $(FORCE),--force)
