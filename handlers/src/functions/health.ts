/** Lambda function `health`: liveness with the deployed version and the server time. */

import { routes } from '../../../generated/operations/functions/health.js';
import type { OperationHandlers } from '../../../generated/operations/index.js';
import { operations as requestValidators } from '../../../generated/validators/functions/health.js';
import packageJson from '../../package.json' with { type: 'json' };
import type { RequestContext } from '../context.js';
import { createRestHandler } from '../http/adapter.js';

type HealthOperations = Pick<OperationHandlers<RequestContext>, 'getHealth'>;

/** Semantic version of the handlers package; esbuild inlines it into the bundle. */
export const handlersVersion: string = packageJson.version;

const getHealth: HealthOperations['getHealth'] = async (_request, context) => {
  return {
    status: 200,
    body: { status: 'ok', version: handlersVersion, time: context.clock.now().toISOString() },
  };
};

export const operations: HealthOperations = { getHealth };

export const handler = createRestHandler('health', operations, { routes, validators: requestValidators });
