// The three requests the outbox sends: uploadTriage, createPhotoUpload and the presigned photo PUT.
import type { components } from '../../../../generated/types/openapi.js';

/** A presigned S3 request; send it with exactly its `signedHeaders`. */
export type PresignedRequest = components['schemas']['PresignedRequest'];
/** The `createPhotoUpload` result: `upload` is `null` when the tenant already stores a photo with this hash. */
export type PhotoUploadTarget = components['schemas']['PhotoUpload'];
/** The `createPhotoUpload` request body. */
export type PhotoDescription = components['schemas']['PhotoUploadRequest'];

/**
 * Requests the outbox sends to the API. Each method throws `KatAppProblemError` for non-2xx responses and
 * `KatAppNetworkError` when no response arrived; `clientTransport` builds one from a KatApp client.
 */
export interface OutboxTransport {
  /** `PUT /triages/{triageId}`; resolves with the status (201 stored, 200 identical replay). */
  uploadTriage(triageId: string, body: Record<string, unknown>): Promise<number>;
  /** `POST /triages/{triageId}/photos`. */
  createPhotoUpload(triageId: string, photo: PhotoDescription): Promise<PhotoUploadTarget>;
  /** Sends the photo bytes with the presigned request, without the API's Authorization header. */
  putPhoto(request: PresignedRequest, bytes: Uint8Array<ArrayBuffer>): Promise<void>;
}

/** The part of the KatApp client the outbox calls; `createKatAppClient(...)` satisfies it. */
export interface OutboxClient {
  PUT(path: '/triages/{triageId}', init: never): Promise<{ response: Response }>;
  POST(path: '/triages/{triageId}/photos', init: never): Promise<{ data: unknown; response: Response }>;
}

/** Thrown by `putPhoto` when storage responds with a non-2xx status. */
export class PhotoUploadError extends Error {
  override name = 'PhotoUploadError';
  readonly status: number;

  constructor(status: number, detail: string) {
    super(`The presigned photo upload failed with HTTP ${status}: ${detail.slice(0, 200)}`);
    this.status = status;
  }
}

/** Builds the transport from a KatApp client; `fetch` sends the presigned PUT (defaults to the global one). */
export function clientTransport(
  client: OutboxClient,
  fetchImplementation: typeof fetch = (input, init) => globalThis.fetch(input, init),
): OutboxTransport {
  // The client's methods are typed per contract path; these casts only hand the init object through.
  type Init = never;
  return {
    async uploadTriage(triageId, body) {
      const { response } = await client.PUT('/triages/{triageId}', {
        params: { path: { triageId } },
        body,
      } as Init);
      return response.status;
    },
    async createPhotoUpload(triageId, photo) {
      const { data } = await client.POST('/triages/{triageId}/photos', {
        params: { path: { triageId } },
        body: photo,
      } as Init);
      return data as PhotoUploadTarget;
    },
    async putPhoto(request, bytes) {
      const response = await fetchImplementation(request.url, {
        method: request.method,
        headers: request.signedHeaders as Record<string, string>,
        body: bytes,
      });
      if (!response.ok) throw new PhotoUploadError(response.status, await response.text());
    },
  };
}
