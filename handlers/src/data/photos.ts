/**
 * Photo objects in the photo bucket, stored by content hash per tenant:
 * - real disasters: `tenants/<tenantId>/photos/<sha256>`
 * - drill and test disasters: `drill/tenants/<tenantId>/photos/<sha256>`, tagged `katapp:mode=drill`, so a
 *   lifecycle rule expires them and a drill photo never shares an object with real data.
 * The Lambda functions never carry photo bytes: devices upload and dashboards download through presigned URLs.
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DisasterMode } from '../domain/vocabulary.js';

export type PhotoStorage = 'real' | 'drill';

/** Object tag of drill and test photos; the bucket's lifecycle rule matches it. */
export const DRILL_TAG = { key: 'katapp:mode', value: 'drill' } as const;
/** The tag in the URL-encoded form of the `x-amz-tagging` header. */
export const DRILL_TAGGING = 'katapp%3Amode=drill';

export type PhotoContentType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic';

/** Lifetime of a presigned upload URL. */
export const UPLOAD_URL_SECONDS = 15 * 60;
/** Lifetime of a presigned download URL; short, because anyone holding the URL can read the photo. */
export const DOWNLOAD_URL_SECONDS = 5 * 60;

let client: S3Client | undefined;

/** Returns the S3 client; AWS_ENDPOINT_URL_S3 points it at a local S3 (an IP endpoint selects path style). */
function s3(): S3Client {
  client ??= new S3Client({});
  return client;
}

function photoBucket(): string {
  const bucket = process.env.PHOTO_BUCKET;
  if (bucket === undefined || bucket === '') {
    throw new Error('Environment variable PHOTO_BUCKET is missing; it must hold the photo bucket name.');
  }
  return bucket;
}

export function photoStorage(mode: DisasterMode): PhotoStorage {
  return mode === 'real' ? 'real' : 'drill';
}

export function photoObjectKey(tenantId: string, storage: PhotoStorage, sha256: string): string {
  const key = `tenants/${tenantId}/photos/${sha256}`;
  return storage === 'real' ? key : `drill/${key}`;
}

export interface StoredPhoto {
  key: string;
  contentType: PhotoContentType;
  size: number;
}

/** Returns the stored object's type and size, or undefined when no object has this key. */
export async function headPhoto(key: string): Promise<StoredPhoto | undefined> {
  try {
    const head = await s3().send(new HeadObjectCommand({ Bucket: photoBucket(), Key: key }));
    // The presigned upload signs the content type, so a stored object carries one of the accepted types.
    return {
      key,
      contentType: (head.ContentType ?? 'image/jpeg') as PhotoContentType,
      size: head.ContentLength ?? 0,
    };
  } catch (error) {
    if (
      error instanceof NotFound ||
      (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
    ) {
      return undefined;
    }
    throw error;
  }
}

export interface PresignedPhotoRequest {
  url: string;
  /** Headers the signature covers; the client must send each with exactly this value. */
  signedHeaders: {
    'Content-Type'?: PhotoContentType;
    'x-amz-checksum-sha256'?: string;
    'x-amz-tagging'?: typeof DRILL_TAGGING;
  };
  expiresAt: string;
}

/** Hex SHA-256 to the base64 form S3 checksum headers use. */
export function checksumBase64(sha256Hex: string): string {
  return Buffer.from(sha256Hex, 'hex').toString('base64');
}

/**
 * Presigns a PUT that S3 accepts only with this content type, this length and bytes with this SHA-256, so
 * the size limit and the content hash hold without the bytes passing the API. Drill photos also carry the
 * drill tag as a signed header. The headers in the result must be sent as given; `Content-Length` is sent
 * by every HTTP client from the body.
 */
export async function presignPhotoUpload(
  key: string,
  photo: { sha256: string; contentType: PhotoContentType; size: number; storage: PhotoStorage },
  now: Date,
): Promise<PresignedPhotoRequest> {
  const checksum = checksumBase64(photo.sha256);
  const command = new PutObjectCommand({
    Bucket: photoBucket(),
    Key: key,
    ContentType: photo.contentType,
    ContentLength: photo.size,
    ChecksumSHA256: checksum,
    ...(photo.storage === 'drill' ? { Tagging: DRILL_TAGGING } : {}),
  });
  const url = await getSignedUrl(s3(), command, {
    expiresIn: UPLOAD_URL_SECONDS,
    signingDate: now,
    // The presigner signs only `host` and moves x-amz-* headers into the query string by default. S3 ignores a
    // tag in the query string, and only signed headers are enforced, so all four are signed as headers.
    signableHeaders: new Set(['content-type', 'content-length', 'x-amz-checksum-sha256', 'x-amz-tagging']),
    unhoistableHeaders: new Set(['x-amz-checksum-sha256', 'x-amz-tagging']),
  });
  const signedHeaders: PresignedPhotoRequest['signedHeaders'] = {
    'Content-Type': photo.contentType,
    'x-amz-checksum-sha256': checksum,
    ...(photo.storage === 'drill' ? { 'x-amz-tagging': DRILL_TAGGING } : {}),
  };
  return { url, signedHeaders, expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString() };
}

/** Presigns a short-lived GET of a stored photo. */
export async function presignPhotoDownload(key: string, now: Date): Promise<PresignedPhotoRequest> {
  const url = await getSignedUrl(s3(), new GetObjectCommand({ Bucket: photoBucket(), Key: key }), {
    expiresIn: DOWNLOAD_URL_SECONDS,
    signingDate: now,
  });
  return {
    url,
    signedHeaders: {},
    expiresAt: new Date(now.getTime() + DOWNLOAD_URL_SECONDS * 1000).toISOString(),
  };
}

/** Deletes photo objects, 1,000 keys per request (the DeleteObjects maximum). */
export async function deletePhotoObjects(keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += 1000) {
    const batch = keys.slice(start, start + 1000);
    const result = await s3().send(
      new DeleteObjectsCommand({
        Bucket: photoBucket(),
        Delete: { Objects: batch.map((key) => ({ Key: key })), Quiet: true },
      }),
    );
    const failed = result.Errors ?? [];
    if (failed.length > 0) {
      throw new Error(
        `Failed to delete ${failed.length} photo objects, first ${failed[0]?.Key}: ${failed[0]?.Code} ${failed[0]?.Message}`,
      );
    }
  }
}
