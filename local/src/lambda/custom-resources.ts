// Runs the project's own CloudFormation custom resources (types starting with Custom::KatApp) locally, once,
// the way CloudFormation does on the first deploy, and keeps their response Data for Fn::GetAtt.

import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { LocalServiceError } from '../errors.js';
import type { Logger } from '../log.js';
import type { LocalStack } from '../template/stack.js';
import type { FunctionRegistry } from './registry.js';

/**
 * Custom resource types run locally. CDK's own helpers (bucket deployments, auto-delete, log retention)
 * are left out: their work has a local equivalent (the site servers) or no local meaning.
 */
export const LOCAL_CUSTOM_RESOURCE_PREFIX = 'Custom::KatApp';

type CustomResourceResults = Record<string, { data: Record<string, string>; physicalResourceId: string }>;

/** Results of earlier runs kept in `file`, so a restart neither rotates keys nor repeats work. */
export function loadCustomResourceResults(stack: LocalStack, file: string): CustomResourceResults {
  const results = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CustomResourceResults) : {};
  applyResults(stack, results);
  return results;
}

function applyResults(stack: LocalStack, results: CustomResourceResults): void {
  for (const [logicalId, result] of Object.entries(results)) {
    if (!stack.template.Resources[logicalId]) {
      continue;
    }
    for (const [attribute, value] of Object.entries(result.data)) {
      stack.overrideAttribute(logicalId, attribute, value);
    }
    stack.overrideAttribute(logicalId, 'Ref', result.physicalResourceId);
  }
}

/** Lists the logical ids of the project's custom resources that have not run against this data folder yet. */
export function pendingCustomResources(stack: LocalStack, results: CustomResourceResults): string[] {
  return Object.entries(stack.template.Resources)
    .filter(
      ([logicalId, resource]) =>
        resource.Type.startsWith(LOCAL_CUSTOM_RESOURCE_PREFIX) && !results[logicalId],
    )
    .map(([logicalId]) => logicalId);
}

/**
 * Sends a Create request to each pending custom resource's function and waits for the response the
 * function uploads to ResponseURL (a one-request local HTTP endpoint). A FAILED response stops the start.
 */
export async function runCustomResources(options: {
  stack: LocalStack;
  functions: FunctionRegistry;
  logger: Logger;
  file: string;
  results: CustomResourceResults;
  logicalIds: string[];
}): Promise<void> {
  const { stack, functions, logger, results } = options;
  for (const logicalId of options.logicalIds) {
    const resource = stack.resource(logicalId);
    const { ServiceToken: serviceToken, ...properties } = resource.properties;
    const requestId = randomUUID();
    const { url, response, close } = await responseEndpoint();
    try {
      const event = {
        RequestType: 'Create',
        ServiceToken: serviceToken,
        ResponseURL: url,
        StackId: String(stack.ref('AWS::StackId')),
        RequestId: requestId,
        LogicalResourceId: logicalId,
        ResourceType: resource.type,
        ResourceProperties: { ServiceToken: serviceToken, ...properties },
      };
      await functions.invoke(String(serviceToken), event);
      const body = (await Promise.race([
        response,
        new Promise((_resolve, reject) =>
          setTimeout(
            () => reject(new LocalServiceError(`Custom resource ${logicalId} sent no response within 60 s.`)),
            60_000,
          ),
        ),
      ])) as { Status?: string; Reason?: string; Data?: Record<string, string>; PhysicalResourceId?: string };
      if (body.Status !== 'SUCCESS') {
        throw new LocalServiceError(
          `Custom resource ${logicalId} (${resource.type}) failed: ${body.Reason ?? 'no reason given'}`,
        );
      }
      results[logicalId] = {
        data: body.Data ?? {},
        physicalResourceId: body.PhysicalResourceId ?? logicalId,
      };
      mkdirSync(dirname(options.file), { recursive: true });
      writeFileSync(options.file, JSON.stringify(results, null, 2));
      applyResults(stack, { [logicalId]: results[logicalId] });
      logger.log('info', `Ran custom resource ${logicalId} (${resource.type})`);
    } finally {
      await close();
    }
  }
}

async function responseEndpoint(): Promise<{
  url: string;
  response: Promise<unknown>;
  close(): Promise<void>;
}> {
  let deliver: (body: unknown) => void = () => {};
  const response = new Promise<unknown>((resolve) => {
    deliver = resolve;
  });
  const server = createServer(async (request, reply) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    reply.writeHead(200, { 'Content-Length': '0' });
    reply.end();
    try {
      deliver(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      deliver({ Status: 'FAILED', Reason: 'The response body was not JSON.' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/custom-resource-response`,
    response,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
