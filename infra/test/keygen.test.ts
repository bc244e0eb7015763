// The signing-key custom resource. Secrets Manager is AWS itself, so the secret writer is an in-memory
// stand-in; the CloudFormation response goes to a real local HTTP server.
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  type CustomResourceEvent,
  createSigningJwk,
  processRequest,
  sendResponse,
} from '../src/keygen/index.js';

const baseEvent: CustomResourceEvent = {
  RequestType: 'Create',
  ResponseURL: 'http://127.0.0.1:1/unused',
  StackId: 'arn:aws:cloudformation:eu-central-1:111111111111:stack/KatApp-dev/1',
  RequestId: 'request-1',
  LogicalResourceId: 'SigningKeyGeneration',
  ResourceProperties: {
    SecretId: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:katapp/dev/signing-key-AbCdEf',
  },
};

function recordingWriter() {
  const writes: { secretId: string; secretString: string }[] = [];
  return {
    writes,
    write: async (secretId: string, secretString: string) => {
      writes.push({ secretId, secretString });
    },
  };
}

describe('createSigningJwk', () => {
  it('creates a P-256 key that signs and verifies', () => {
    const jwk = createSigningJwk();
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    const { d: _d, ...publicJwk } = jwk;
    const publicKey = createPublicKey({ key: publicJwk, format: 'jwk' });
    const signature = sign('sha256', Buffer.from('payload'), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    expect(signature).toHaveLength(64);
    expect(
      verify('sha256', Buffer.from('payload'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    ).toBe(true);
  });

  it('uses the RFC 7638 thumbprint as kid', () => {
    const jwk = createSigningJwk();
    // RFC 7638: SHA-256 of the required public members in lexicographic order, as compact JSON.
    const publicJwk = createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'jwk' });
    const canonical = `{"crv":"${publicJwk.crv}","kty":"${publicJwk.kty}","x":"${publicJwk.x}","y":"${publicJwk.y}"}`;
    expect(jwk.kid).toBe(createHash('sha256').update(canonical).digest('base64url'));
    expect(createSigningJwk().kid).not.toBe(jwk.kid);
  });
});

describe('processRequest', () => {
  it('writes a key on Create', async () => {
    const writer = recordingWriter();
    const response = await processRequest(baseEvent, writer.write);
    expect(response.Status).toBe('SUCCESS');
    expect(response.PhysicalResourceId).toBe(baseEvent.ResourceProperties.SecretId);
    expect(writer.writes).toHaveLength(1);
    const stored = JSON.parse(writer.writes[0]?.secretString ?? '{}');
    expect(stored).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(response.Data?.KeyId).toBe(stored.kid);
    expect(JSON.stringify(response)).not.toContain(stored.d);
  });

  it('keeps the key on Update of the same secret', async () => {
    const writer = recordingWriter();
    const response = await processRequest(
      {
        ...baseEvent,
        RequestType: 'Update',
        PhysicalResourceId: 'physical',
        OldResourceProperties: baseEvent.ResourceProperties,
      },
      writer.write,
    );
    expect(response.Status).toBe('SUCCESS');
    expect(response.PhysicalResourceId).toBe('physical');
    expect(writer.writes).toHaveLength(0);
  });

  it('writes a key when the secret was replaced', async () => {
    const writer = recordingWriter();
    await processRequest(
      {
        ...baseEvent,
        RequestType: 'Update',
        PhysicalResourceId: 'physical',
        OldResourceProperties: { SecretId: 'old-secret' },
      },
      writer.write,
    );
    expect(writer.writes.map((write) => write.secretId)).toEqual([baseEvent.ResourceProperties.SecretId]);
  });

  it('does nothing on Delete', async () => {
    const writer = recordingWriter();
    const response = await processRequest(
      { ...baseEvent, RequestType: 'Delete', PhysicalResourceId: 'physical' },
      writer.write,
    );
    expect(response.Status).toBe('SUCCESS');
    expect(writer.writes).toHaveLength(0);
  });

  it('reports a failed write as FAILED', async () => {
    const response = await processRequest(baseEvent, async () => {
      throw new Error('AccessDeniedException: not allowed');
    });
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe('Signing key generation failed: AccessDeniedException: not allowed');
  });
});

describe('sendResponse', () => {
  it('PUTs the body without a content type', async () => {
    const received: { method?: string; headers?: IncomingHttpHeaders; body?: string } = {};
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        Object.assign(received, { method: request.method, headers: request.headers, body });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const body = {
        Status: 'SUCCESS',
        PhysicalResourceId: 'p',
        StackId: 's',
        RequestId: 'r',
        LogicalResourceId: 'l',
      } as const;
      await sendResponse(`http://127.0.0.1:${port}/response?X-Amz-Signature=abc`, body);
      expect(received.method).toBe('PUT');
      expect(received.headers?.['content-type'] ?? '').toBe('');
      expect(JSON.parse(received.body ?? '')).toEqual(body);
    } finally {
      server.close();
    }
  });

  it('raises when the upload is rejected', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(403).end('SignatureDoesNotMatch');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await expect(
        sendResponse(`http://127.0.0.1:${port}/`, {
          Status: 'FAILED',
          PhysicalResourceId: 'p',
          StackId: 's',
          RequestId: 'r',
          LogicalResourceId: 'l',
        }),
      ).rejects.toThrow('CloudFormation response upload failed with HTTP 403: SignatureDoesNotMatch');
    } finally {
      server.close();
    }
  });
});
