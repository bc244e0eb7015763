# The CDK app in infra/: synth, diff and deploy of one stage. STAGE=dev (default) or STAGE=prod.
# Synth runs offline without credentials: the stacks get the account from KATAPP_ACCOUNT, the CLI's
# credentials, or the placeholder 111111111111 (see infra/src/config.ts).
STAGE ?= dev
CDK_FLAGS := --no-notices -c stage=$(STAGE)
# The CDK CLI uses us-east-1 when AWS_REGION is unset; every stack names its region, this only keeps
# the CLI's own calls in the stage region.
CDK_ENV := AWS_REGION=$${AWS_REGION:-eu-central-1} CDK_DISABLE_CLI_TELEMETRY=true AWS_EC2_METADATA_DISABLED=true
CDK_BIN := $(CURDIR)/node_modules/.bin/cdk
CDK := cd infra && $(CDK_ENV) $(CDK_BIN)
DEPLOY_APPROVAL ?= broadening

.PHONY: synth deploy diff cfn-lint
synth: $(INSTALL_STAMP) generate ## Synthesize the stage's CloudFormation into infra/cdk.out (STAGE=dev|prod)
	$(CDK) synth $(CDK_FLAGS) --quiet
	@echo "Templates: $$(ls infra/cdk.out/KatApp-$(STAGE).template.json infra/cdk.out/KatApp-$(STAGE)-*.template.json 2>/dev/null | tr '\n' ' ')"

diff: $(INSTALL_STAMP) generate ## Compare the stage with what is deployed (needs AWS credentials)
	@infra/scripts/require-aws-credentials.sh diff
	$(CDK) diff --all $(CDK_FLAGS)

deploy: $(INSTALL_STAMP) generate ## Deploy the stage to AWS (needs AWS credentials; DEPLOY_APPROVAL=never in CI)
	@infra/scripts/require-aws-credentials.sh deploy
	# KATAPP_REQUIRE_ACCOUNT makes the app refuse the placeholder account.
	cd infra && $(CDK_ENV) KATAPP_REQUIRE_ACCOUNT=1 $(CDK_BIN) deploy --all $(CDK_FLAGS) --require-approval $(DEPLOY_APPROVAL)

cfn-lint: synth ## Lint the stage's synthesized templates with cfn-lint
	cfn-lint -t infra/cdk.out/KatApp-$(STAGE)*.template.json --regions eu-central-1 --ignore-checks W3005
