# The local platform: `make up` boots infra/cdk.out/KatApp-dev.template.json on this machine.
# FRESH=1 starts with empty data (deletes .katapp). The synth target comes from mk/40-infra.mk.
LOCAL_TEMPLATE := infra/cdk.out/KatApp-dev.template.json
# Synthesizing takes a while, so it runs only when the template is older than one of its inputs.
LOCAL_TEMPLATE_INPUTS = $(shell find infra/src infra/bin infra/cdk.json handlers/src generated api -type f 2>/dev/null)

.PHONY: up ensure-java
ensure-java:
	@tools/bootstrap/ensure-java.sh

$(LOCAL_TEMPLATE): $(LOCAL_TEMPLATE_INPUTS) | $(INSTALL_STAMP)
	$(MAKE) --no-print-directory synth

# The sites are built once when their build folder is missing; `make dashboard docs` rebuilds them after changes.
dashboard/dist/index.html:
	$(MAKE) --no-print-directory dashboard
site/dist/api/index.html:
	$(MAKE) --no-print-directory docs-api
site/dist/docs/index.html:
	$(MAKE) --no-print-directory docs-user

up: $(INSTALL_STAMP) generate $(LOCAL_TEMPLATE) ensure-java | dashboard/dist/index.html site/dist/api/index.html site/dist/docs/index.html ## Run the whole platform locally (FRESH=1 starts empty)
	tsx local/src/cli.ts up $(if $(filter 1,$(FRESH)),--fresh,)

# The smoke test in local/test boots the real template, so the suite synthesizes it first.
test: $(LOCAL_TEMPLATE)
