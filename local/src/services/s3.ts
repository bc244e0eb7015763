// s3rver (a local S3 with a file-system store) with every AWS::S3::Bucket of the template.

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import type { LocalStack } from '../template/stack.js';

const require = createRequire(import.meta.url);

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}

type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

/**
 * The access key s3rver accepts: it rejects unknown key ids, but never verifies SigV4 signatures, so
 * any secret works. Local functions get this key pair.
 */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface LocalS3 {
  endpoint: string;
  buckets: string[];
  stop(): Promise<void>;
}

interface CorsRule {
  AllowedMethods?: string[];
  AllowedOrigins?: string[];
  AllowedHeaders?: string[];
  ExposedHeaders?: string[];
  MaxAge?: number;
}

/** Starts s3rver on `port` with the stack's buckets (and their CORS rules) under `directory`. */
export async function startS3(options: {
  stack: LocalStack;
  port: number;
  directory: string;
  logger: Logger;
}): Promise<LocalS3> {
  // s3rver is CommonJS and exports the class itself.
  const S3rver = require('s3rver') as S3rverClass;
  mkdirSync(options.directory, { recursive: true });
  const buckets = options.stack.resourcesOfType('AWS::S3::Bucket').map((bucket) => {
    const cors = (bucket.properties.CorsConfiguration as { CorsRules?: CorsRule[] } | undefined)?.CorsRules;
    return {
      name: options.stack.physicalName(bucket.logicalId),
      configs: cors && cors.length > 0 ? [corsXml(cors)] : [],
    };
  });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    directory: options.directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: buckets,
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  options.logger.log('debug', `s3rver listens on ${endpoint} with ${buckets.length} buckets`);
  return {
    endpoint,
    buckets: buckets.map((bucket) => bucket.name),
    stop: () => server.close(),
  };
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Converts CloudFormation CorsRules to the CORSConfiguration XML document s3rver reads. */
function corsXml(rules: CorsRule[]): string {
  const element = (name: string, values: string[] | undefined) =>
    (values ?? []).map((value) => `<${name}>${escapeXml(value)}</${name}>`).join('');
  const body = rules
    .map(
      (rule) =>
        `<CORSRule>${element('AllowedOrigin', rule.AllowedOrigins)}${element('AllowedMethod', rule.AllowedMethods)}${element('AllowedHeader', rule.AllowedHeaders)}${element('ExposeHeader', rule.ExposedHeaders)}${rule.MaxAge === undefined ? '' : `<MaxAgeSeconds>${rule.MaxAge}</MaxAgeSeconds>`}</CORSRule>`,
    )
    .join('');
  return `<CORSConfiguration>${body}</CORSConfiguration>`;
}
