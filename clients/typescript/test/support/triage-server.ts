// A small real HTTP server with the upload semantics of the KatApp API: idempotent PUT /triages/{id},
// presigned photo uploads that check the SHA-256, and an arrival log per patient card.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type RecordedRequest, sendJson, startTestServer, type TestServer } from './http-server.js';

export interface StoredTriage {
  id: string;
  body: Record<string, unknown>;
  arrival: number;
}

export interface TriageServerState {
  triages: Map<string, StoredTriage>;
  photos: Map<string, Buffer>;
  /** Card code → triage ids in the order they arrived. */
  arrivals: Map<string, string[]>;
  /** The next this many triage uploads get 503 with Retry-After: 0. */
  failNextUploads: number;
  uploadAttempts: number;
}

export interface TriageServer {
  state: TriageServerState;
  server: TestServer | undefined;
  baseUrl: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function problem(response: ServerResponse, status: number, code: string, detail: string) {
  sendJson(
    response,
    status,
    { type: `/problems/${code.toLowerCase()}`, title: code, status, code, detail, requestId: 'test-request' },
    'application/problem+json',
  );
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([left], [right]) => (left < right ? -1 : 1)))
      : item,
  );
}

/** A file the server returns for GET requests to its path, so a browser page can share the API's origin. */
export interface StaticFile {
  contentType: string;
  body: string;
}

export async function startTriageServer(staticFiles: Record<string, StaticFile> = {}): Promise<TriageServer> {
  const state: TriageServerState = {
    triages: new Map(),
    photos: new Map(),
    arrivals: new Map(),
    failNextUploads: 0,
    uploadAttempts: 0,
  };
  let port = 0;

  function handle(request: RecordedRequest, response: ServerResponse, baseUrl: string) {
    const pathname = new URL(request.rawUrl, 'http://test').pathname;
    const file = staticFiles[pathname];
    if (request.method === 'GET' && file) {
      response.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': 'no-store' });
      response.end(file.body);
      return;
    }
    const segments = pathname.split('/').filter(Boolean);

    if (request.method === 'PUT' && segments[0] === 'triages' && segments.length === 2) {
      state.uploadAttempts += 1;
      if (state.failNextUploads > 0) {
        state.failNextUploads -= 1;
        response.setHeader('Retry-After', '0');
        problem(response, 503, 'INTERNAL', 'Injected failure.');
        return;
      }
      const id = decodeURIComponent(segments[1] ?? '');
      const body = JSON.parse(request.body.toString()) as Record<string, unknown>;
      const existing = state.triages.get(id);
      if (existing) {
        if (canonical(existing.body) === canonical(body)) sendJson(response, 200, { id, ...existing.body });
        else problem(response, 409, 'IDEMPOTENCY_CONFLICT', `Triage ${id} exists with different content.`);
        return;
      }
      const stored = { id, body, arrival: state.triages.size };
      state.triages.set(id, stored);
      const cardCode = String(body.cardCode);
      state.arrivals.set(cardCode, [...(state.arrivals.get(cardCode) ?? []), id]);
      sendJson(response, 201, { id, ...body });
      return;
    }

    if (request.method === 'POST' && segments[0] === 'triages' && segments[2] === 'photos') {
      const id = decodeURIComponent(segments[1] ?? '');
      const photo = JSON.parse(request.body.toString()) as {
        sha256: string;
        contentType: string;
        size: number;
      };
      const triage = state.triages.get(id);
      if (!triage) return problem(response, 404, 'NOT_FOUND', `No triage ${id}.`);
      if (!(triage.body.photos as string[]).includes(photo.sha256)) {
        return problem(response, 409, 'PHOTO_NOT_DECLARED', `Photo ${photo.sha256} is not listed.`);
      }
      const alreadyStored = state.photos.has(photo.sha256);
      sendJson(response, 201, {
        photoId: photo.sha256,
        triageId: id,
        alreadyStored,
        upload: alreadyStored
          ? null
          : {
              method: 'PUT',
              url: `${baseUrl}/s3/${photo.sha256}`,
              signedHeaders: { 'Content-Type': photo.contentType },
              expiresAt: new Date(Date.now() + 900_000).toISOString(),
            },
      });
      return;
    }

    if (request.method === 'PUT' && segments[0] === 's3') {
      const sha256 = segments[1] ?? '';
      if (request.headers.authorization !== undefined) {
        response.writeHead(400).end('presigned uploads must not carry the API token');
        return;
      }
      if (createHash('sha256').update(request.body).digest('hex') !== sha256) {
        response.writeHead(400).end('checksum mismatch');
        return;
      }
      state.photos.set(sha256, request.body);
      response.writeHead(200).end();
      return;
    }

    problem(response, 404, 'NOT_FOUND', `No route ${request.method} ${request.rawUrl}.`);
  }

  const result: TriageServer = {
    state,
    server: undefined,
    get baseUrl() {
      return `http://127.0.0.1:${port}`;
    },
    async start() {
      result.server = await startTestServer(
        (request, response) => handle(request, response, result.baseUrl),
        port,
      );
      port = result.server.port;
    },
    async stop() {
      await result.server?.close();
      result.server = undefined;
    },
  };
  await result.start();
  return result;
}
