/**
 * Photo upload and download through presigned URLs against the test platform's s3rver, a real S3-compatible
 * server on 127.0.0.1. s3rver does not check signatures, checksums or the x-amz-tagging header, so those are
 * checked on the presigned URL (which headers it signs) rather than by a rejected request.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestGateway } from '../setup/gateway.js';
import { accessTokenFor, demoOf, startTestPlatform, type TestPlatform } from '../setup/platform.js';
import {
  call,
  createDisaster,
  type Disaster,
  expectProblem,
  newCardCode,
  type RoleTokens,
  roleTokens,
  type Schemas,
  triageBody,
  upload,
} from './support.js';

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('photos', () => {
  let platform: TestPlatform;
  let bucket: string;
  const gateway = new TestGateway();
  let tokens: RoleTokens;
  let tenantId: string;

  async function triageWithPhoto(disaster: Disaster, photo: Buffer): Promise<string> {
    const body = triageBody(disaster.id, newCardCode(), { photos: [sha256Hex(photo)] });
    const { triageId, result } = await upload(gateway, tokens.medic, body);
    expect(result.status, result.rawBody).toBe(201);
    return triageId;
  }

  async function requestUpload(triageId: string, photo: Buffer) {
    return call(gateway, 'createPhotoUpload', {
      token: tokens.medic,
      path: { triageId },
      body: { sha256: sha256Hex(photo), contentType: 'image/jpeg', size: photo.length },
    });
  }

  async function objectExists(key: string): Promise<boolean> {
    const client = new S3Client({ endpoint: platform.s3.endpoint, forcePathStyle: true });
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch {
      return false;
    } finally {
      client.destroy();
    }
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    tenantId = demoOf(platform.seed).tenantId;
    tokens = await roleTokens(tenantId);
    bucket = platform.s3.bucket;
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('uploads once and downloads by hash', async () => {
    const disaster = await createDisaster(gateway, tokens.medic, { mode: 'real', name: 'Photo incident' });
    const photo = randomBytes(2048);
    const triageId = await triageWithPhoto(disaster, photo);

    const first = await requestUpload(triageId, photo);
    expect(first.status).toBe(201);
    const grant = first.body as Schemas['PhotoUpload'];
    expect(grant.alreadyStored).toBe(false);
    const presigned = grant.upload;
    if (presigned === null) throw new Error('createPhotoUpload returned no upload for a new photo');
    expect(presigned.method).toBe('PUT');
    expect(presigned.signedHeaders).toEqual({
      'Content-Type': 'image/jpeg',
      'x-amz-checksum-sha256': Buffer.from(sha256Hex(photo), 'hex').toString('base64'),
    });
    const url = new URL(presigned.url);
    expect(url.pathname).toBe(`/${bucket}/tenants/${tenantId}/photos/${sha256Hex(photo)}`);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host;x-amz-checksum-sha256',
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');

    const put = await fetch(presigned.url, { method: 'PUT', headers: presigned.signedHeaders, body: photo });
    expect(put.status).toBe(200);

    const again = await requestUpload(triageId, photo);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ photoId: sha256Hex(photo), triageId, alreadyStored: true, upload: null });

    const download = await call(gateway, 'getPhotoDownload', {
      token: tokens.dashboard,
      path: { photoId: sha256Hex(photo) },
    });
    expect(download.status, download.rawBody).toBe(200);
    const body = download.body as Schemas['PhotoDownload'];
    expect(body).toMatchObject({ photoId: sha256Hex(photo), contentType: 'image/jpeg', size: photo.length });
    expect(new URL(body.download.url).searchParams.get('X-Amz-Expires')).toBe('300');
    const fetched = Buffer.from(await (await fetch(body.download.url)).arrayBuffer());
    expect(fetched.equals(photo)).toBe(true);
  });

  it('keeps drill photos under the drill prefix with the tag', async () => {
    const drill = await createDisaster(gateway, tokens.medic, { mode: 'drill', name: 'Photo drill' });
    const photo = randomBytes(512);
    const triageId = await triageWithPhoto(drill, photo);
    const grant = (await requestUpload(triageId, photo)).body as Schemas['PhotoUpload'];
    const presigned = grant.upload;
    if (presigned === null) throw new Error('createPhotoUpload returned no upload for a new photo');
    expect(presigned.signedHeaders['x-amz-tagging']).toBe('katapp%3Amode=drill');
    const url = new URL(presigned.url);
    expect(url.pathname).toBe(`/${bucket}/drill/tenants/${tenantId}/photos/${sha256Hex(photo)}`);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toContain('x-amz-tagging');
    expect(url.searchParams.has('x-amz-tagging')).toBe(false);

    await fetch(presigned.url, { method: 'PUT', headers: presigned.signedHeaders, body: photo });
    expect(await objectExists(`drill/tenants/${tenantId}/photos/${sha256Hex(photo)}`)).toBe(true);
    expect(await objectExists(`tenants/${tenantId}/photos/${sha256Hex(photo)}`)).toBe(false);

    const download = await call(gateway, 'getPhotoDownload', {
      token: tokens.dashboard,
      path: { photoId: sha256Hex(photo) },
    });
    expect(download.status).toBe(200);
  });

  it('rejects a photo the triage did not declare', async () => {
    const disaster = await createDisaster(gateway, tokens.medic, { name: 'Undeclared photo' });
    const triageId = await triageWithPhoto(disaster, randomBytes(64));
    const result = await requestUpload(triageId, randomBytes(64));
    expectProblem(result, 409, 'PHOTO_NOT_DECLARED');
  });

  it('rejects uploads for a closed disaster', async () => {
    const disaster = await createDisaster(gateway, tokens.medic, { name: 'Closed photo incident' });
    const photo = randomBytes(64);
    const triageId = await triageWithPhoto(disaster, photo);
    await call(gateway, 'closeDisaster', { token: tokens.commandStaff, path: { disasterId: disaster.id } });
    expectProblem(await requestUpload(triageId, photo), 409, 'DISASTER_CLOSED');
  });

  it('answers 404 for unknown triages and photos', async () => {
    const photo = randomBytes(32);
    expectProblem(await requestUpload(randomUUID(), photo), 404, 'NOT_FOUND');
    expectProblem(
      await call(gateway, 'getPhotoDownload', {
        token: tokens.dashboard,
        path: { photoId: sha256Hex(photo) },
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('gives downloads only to callers with ActionViewPhoto', async () => {
    const photoId = 'b'.repeat(64);
    const medic = await call(gateway, 'getPhotoDownload', { token: tokens.medic, path: { photoId } });
    expectProblem(medic, 403, 'FORBIDDEN');
  });

  it('hides photos of other tenants', async () => {
    const disaster = await createDisaster(gateway, tokens.medic, { mode: 'real', name: 'Tenant photo' });
    const photo = randomBytes(256);
    const triageId = await triageWithPhoto(disaster, photo);
    const presigned = ((await requestUpload(triageId, photo)).body as Schemas['PhotoUpload']).upload;
    if (presigned === null) throw new Error('createPhotoUpload returned no upload for a new photo');
    await fetch(presigned.url, { method: 'PUT', headers: presigned.signedHeaders, body: photo });

    const other = await accessTokenFor({ tenantId: randomUUID(), roles: ['DashboardUser', 'DeviceUser'] });
    const download = await call(gateway, 'getPhotoDownload', {
      token: other,
      path: { photoId: sha256Hex(photo) },
    });
    expectProblem(download, 404, 'NOT_FOUND');
    const uploadRequest = await call(gateway, 'createPhotoUpload', {
      token: other,
      path: { triageId },
      body: { sha256: sha256Hex(photo), contentType: 'image/jpeg', size: photo.length },
    });
    expectProblem(uploadRequest, 404, 'NOT_FOUND');
  });
});
