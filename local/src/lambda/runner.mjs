// One warm Lambda instance: a child process that imports a function bundle once and runs its handler for
// each invocation message from the parent. The parent starts it with the function's environment and
// argv [bundle folder, handler setting, runtime packages anchor]. Plain JavaScript so that it starts
// without a TypeScript loader.

import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [assetDir, handlerSetting, runtimePackagesAnchor] = process.argv.slice(2);
let handlerPromise;

// The Lambda Node.js runtime provides the AWS SDK v3, so bundles keep @aws-sdk/* external. Locally a bare
// @aws-sdk/ import that the bundle folder cannot resolve is resolved from the local workspace's packages.
const runtimeParent = pathToFileURL(runtimePackagesAnchor).href;
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (error?.code === 'ERR_MODULE_NOT_FOUND' && specifier.startsWith('@aws-sdk/')) {
        return nextResolve(specifier, { ...context, parentURL: runtimeParent });
      }
      throw error;
    }
  },
});

/** Imports the bundle named by a Lambda Handler setting such as "index.handler". */
async function loadHandler() {
  const dot = handlerSetting.lastIndexOf('.');
  const modulePath = handlerSetting.slice(0, dot);
  const exportName = handlerSetting.slice(dot + 1);
  const file = ['.mjs', '.js', '.cjs']
    .map((extension) => join(assetDir, `${modulePath}${extension}`))
    .find((candidate) => existsSync(candidate));
  if (!file) {
    throw Object.assign(new Error(`Cannot find module '${modulePath}' in ${assetDir}`), {
      name: 'Runtime.ImportModuleError',
    });
  }
  const module = await import(pathToFileURL(file).href);
  const handler = module[exportName] ?? module.default?.[exportName];
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${modulePath}.${exportName} is undefined or not exported`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  return handler;
}

function createContext(invocation) {
  return {
    functionName: invocation.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: invocation.functionArn,
    memoryLimitInMB: String(invocation.memorySize),
    awsRequestId: invocation.requestId,
    logGroupName: `/aws/lambda/${invocation.functionName}`,
    logStreamName: `local/${process.pid}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, invocation.deadline - Date.now()),
    done: () => {},
    succeed: () => {},
    fail: () => {},
  };
}

// Handlers written in the callback style (three parameters) get a callback; others return a promise.
function callHandler(handler, event, context) {
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const callback = (error, result) => (error ? reject(error) : resolve(result));
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') {
        returned.then(resolve, reject);
      }
    });
  }
  return handler(event, context);
}

function serializeError(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      stack: (error.stack ?? '').split('\n'),
    };
  }
  return { errorType: 'Error', errorMessage: String(error), stack: [] };
}

process.on('message', async (message) => {
  if (message?.type !== 'invoke') {
    return;
  }
  try {
    handlerPromise ??= loadHandler();
    const handler = await handlerPromise;
    process.env._X_AMZN_TRACE_ID = message.traceId;
    const result = await callHandler(handler, message.event, createContext(message));
    process.send({ type: 'result', id: message.id, result: result === undefined ? null : result });
  } catch (error) {
    process.send({ type: 'error', id: message.id, error: serializeError(error) });
  }
});

// The parent went away (stopped or crashed): an instance never outlives its platform.
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
