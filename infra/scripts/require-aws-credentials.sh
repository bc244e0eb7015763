#!/usr/bin/env bash
# Stops `make deploy` and `make diff` before the CDK CLI runs when no AWS credentials are configured, and
# prints which settings to configure. It checks the places the AWS SDK reads (environment, web identity,
# container credentials, ~/.aws). Instance metadata is off in this project (AWS_EC2_METADATA_DISABLED=true).
set -euo pipefail
target=${1:-deploy}

if [[ -n "${AWS_ACCESS_KEY_ID:-}" || -n "${AWS_PROFILE:-}" || -n "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ||
  -n "${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}" || -n "${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}" ||
  -f "${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}" || -f "${AWS_CONFIG_FILE:-$HOME/.aws/config}" ]]; then
  exit 0
fi

cat >&2 <<MSG
make ${target}: no AWS credentials found, so nothing was sent to AWS.
Configure one of these and run the command again:
  - AWS_PROFILE=<profile> (a profile from ~/.aws/config, e.g. after "aws configure sso")
  - AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys)
  - AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (what GitHub Actions OIDC sets up)
The account must be bootstrapped once per region: npx cdk bootstrap aws://<account>/eu-central-1
(and aws://<account>/us-east-1 when the stage has a domain).
"make synth" needs no credentials.
MSG
exit 1
