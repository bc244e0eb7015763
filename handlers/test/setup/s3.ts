/**
 * A real local S3 for tests: s3rver on 127.0.0.1 with the photo bucket. s3rver 3.7 checks only that the access
 * key id is its own `S3RVER` and does not verify SigV4 signatures, so presigned URLs work against it but their
 * signatures are not verified here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}

type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

export interface LocalS3 {
  readonly endpoint: string;
  readonly bucket: string;
  stop(): Promise<void>;
}

/** Starts s3rver on a free port with one bucket, and sets AWS_ENDPOINT_URL_S3 and PHOTO_BUCKET. */
export async function startLocalS3(bucket = 'katapp-test-photos'): Promise<LocalS3> {
  const require = createRequire(import.meta.url);
  // `require('s3rver')` is the class itself (its `.default` is Koa's).
  const S3rver = require('s3rver') as S3rverClass;
  const directory = await mkdtemp(join(tmpdir(), 'katapp-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  process.env.AWS_ENDPOINT_URL_S3 = endpoint;
  process.env.PHOTO_BUCKET = bucket;
  return {
    endpoint,
    bucket,
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
