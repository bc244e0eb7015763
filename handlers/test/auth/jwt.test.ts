/**
 * ES256 JWT signing and verification with node:crypto. jose (a separate JOSE implementation, test-only) signs and
 * verifies next to it, so the token format stays the one other libraries read.
 */
import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { CompactSign, compactVerify, importJWK, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  type JwtExpectations,
  JwtExpiredError,
  JwtInvalidError,
  signJwt,
  verifyJwt,
} from '../../src/auth/jwt.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const now = new Date('2025-06-14T08:00:00Z');
const nowSeconds = Math.floor(now.getTime() / 1000);

const expected: JwtExpectations = {
  kid: 'key-1',
  typ: 'at+jwt',
  issuer: 'katapp/test',
  audience: 'katapp-api',
  requiredClaims: ['sub', 'exp', 'iat', 'tid'],
};

const header = { alg: 'ES256', kid: 'key-1', typ: 'at+jwt' } as const;

function validClaims(): Record<string, unknown> {
  return {
    tid: 'tenant-1',
    sub: 'user-1',
    iss: 'katapp/test',
    aud: 'katapp-api',
    iat: nowSeconds,
    exp: nowSeconds + 900,
  };
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Signs any header and claims with ES256, also ones signJwt's types do not allow. */
function signRaw(rawHeader: unknown, claims: unknown, key: KeyObject = privateKey): string {
  const input = `${encode(rawHeader)}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function verifyAt(token: string, at: Date = now) {
  return verifyJwt(token, publicKey, expected, at);
}

describe('ES256 JWT', () => {
  it('round-trips header and claims', () => {
    const token = signJwt(header, validClaims(), privateKey);
    expect(verifyAt(token)).toEqual(validClaims());
    const [encodedHeader] = token.split('.');
    expect(JSON.parse(Buffer.from(encodedHeader ?? '', 'base64url').toString())).toEqual(header);
  });

  it('signs tokens jose verifies', async () => {
    const token = signJwt(header, validClaims(), privateKey);
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
      algorithms: ['ES256'],
      issuer: 'katapp/test',
      audience: 'katapp-api',
      typ: 'at+jwt',
      currentDate: now,
    });
    expect(protectedHeader).toEqual(header);
    expect(payload).toEqual(validClaims());
  });

  it('verifies tokens jose signed', async () => {
    const token = await new SignJWT({ tid: 'tenant-1' })
      .setProtectedHeader(header)
      .setSubject('user-1')
      .setIssuer('katapp/test')
      .setAudience('katapp-api')
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + 900)
      .sign(privateKey);
    expect(verifyAt(token)).toEqual({ ...validClaims() });
  });

  it('writes the signature as 64 bytes r || s', async () => {
    const token = signJwt(header, validClaims(), privateKey);
    expect(Buffer.from(token.split('.')[2] ?? '', 'base64url')).toHaveLength(64);
    await expect(compactVerify(token, publicKey, { algorithms: ['ES256'] })).resolves.toBeDefined();
  });

  it('accepts typ with the application/ prefix in any case', () => {
    const token = signRaw({ ...header, typ: 'application/AT+JWT' }, validClaims());
    expect(verifyAt(token).sub).toBe('user-1');
  });

  it('accepts an audience list that contains the audience', () => {
    const token = signRaw(header, { ...validClaims(), aud: ['other-api', 'katapp-api'] });
    expect(verifyAt(token).aud).toEqual(['other-api', 'katapp-api']);
  });

  it('rejects an expired token with JwtExpiredError', () => {
    const token = signJwt(header, validClaims(), privateKey);
    const atExpiry = new Date((nowSeconds + 900) * 1000);
    const justBefore = new Date((nowSeconds + 899) * 1000 + 999);
    expect(verifyAt(token, justBefore).sub).toBe('user-1');
    expect(() => verifyAt(token, atExpiry)).toThrow(JwtExpiredError);
  });

  it('rejects a token before nbf', () => {
    const token = signRaw(header, { ...validClaims(), nbf: nowSeconds + 1 });
    expect(() => verifyAt(token)).toThrow('The token is not valid before');
    expect(verifyAt(token, new Date((nowSeconds + 1) * 1000)).sub).toBe('user-1');
  });

  it('rejects an unsigned token (alg none)', () => {
    const unsigned = `${encode({ alg: 'none', kid: 'key-1', typ: 'at+jwt' })}.${encode(validClaims())}.`;
    expect(() => verifyAt(unsigned)).toThrow('The token\'s alg "none" is not allowed; only ES256 is.');
  });

  it('rejects HS256 signed with the public key as secret', () => {
    // The classic alg confusion: a verifier that trusted alg would take the public key as the HMAC secret.
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' });
    const input = `${encode({ ...header, alg: 'HS256' })}.${encode(validClaims())}`;
    const mac = createHmac('sha256', publicPem).update(input).digest('base64url');
    expect(() => verifyAt(`${input}.${mac}`)).toThrow(
      'The token\'s alg "HS256" is not allowed; only ES256 is.',
    );
  });

  it('rejects a token without alg', () => {
    const token = signRaw({ kid: 'key-1', typ: 'at+jwt' }, validClaims());
    expect(() => verifyAt(token)).toThrow("The token's alg undefined is not allowed; only ES256 is.");
  });

  it('rejects another kid', () => {
    const token = signRaw({ ...header, kid: 'key-2' }, validClaims());
    expect(() => verifyAt(token)).toThrow('The token\'s kid "key-2" is not the signing key\'s kid.');
  });

  it('rejects a crit header', () => {
    const token = signRaw({ ...header, crit: ['exp'] }, validClaims());
    expect(() => verifyAt(token)).toThrow('crit header parameter');
  });

  it('rejects a token signed with another key', () => {
    const token = signRaw(header, validClaims(), other.privateKey);
    expect(() => verifyAt(token)).toThrow('The token signature is invalid.');
  });

  it('rejects a tampered payload', () => {
    const token = signJwt(header, validClaims(), privateKey);
    const [encodedHeader, , signature] = token.split('.');
    const tampered = `${encodedHeader}.${encode({ ...validClaims(), tid: 'tenant-2' })}.${signature}`;
    expect(() => verifyAt(tampered)).toThrow('The token signature is invalid.');
  });

  it('rejects a tampered header', () => {
    const token = signJwt(header, validClaims(), privateKey);
    const [, claims, signature] = token.split('.');
    const tampered = `${encode({ ...header, typ: 'application/at+jwt' })}.${claims}.${signature}`;
    expect(() => verifyAt(tampered)).toThrow('The token signature is invalid.');
  });

  it('rejects a DER signature and other lengths', () => {
    const token = signJwt(header, validClaims(), privateKey);
    const [encodedHeader, claims, signature = ''] = token.split('.');
    const input = `${encodedHeader}.${claims}`;
    const der = sign('sha256', Buffer.from(input), privateKey).toString('base64url');
    expect(() => verifyAt(`${input}.${der}`)).toThrow(/signature has \d+ bytes; an ES256 signature has 64/);
    const short = Buffer.from(signature, 'base64url').subarray(0, 63).toString('base64url');
    expect(() => verifyAt(`${input}.${short}`)).toThrow('signature has 63 bytes');
    const long = Buffer.concat([Buffer.from(signature, 'base64url'), Buffer.from([0])]).toString('base64url');
    expect(() => verifyAt(`${input}.${long}`)).toThrow('signature has 65 bytes');
  });

  it('rejects a zeroed signature', () => {
    const token = signJwt(header, validClaims(), privateKey);
    const [encodedHeader, claims] = token.split('.');
    const zeros = Buffer.alloc(64).toString('base64url');
    expect(() => verifyAt(`${encodedHeader}.${claims}.${zeros}`)).toThrow('The token signature is invalid.');
  });

  it.each([
    ['no dots', 'abc', 'The token has 1 dot-separated segments; a JWS has 3.'],
    ['two segments', 'abc.def', 'The token has 2 dot-separated segments; a JWS has 3.'],
    ['four segments', 'a.b.c.d', 'The token has 4 dot-separated segments; a JWS has 3.'],
    ['an empty string', '', 'The token has 1 dot-separated segments; a JWS has 3.'],
  ])('rejects a token with %s', (_case, token, message) => {
    expect(() => verifyAt(token)).toThrow(new JwtInvalidError(message));
  });

  it('rejects segments that are not base64url', () => {
    const token = signJwt(header, validClaims(), privateKey);
    const [encodedHeader, claims, signature = ''] = token.split('.');
    expect(() => verifyAt(`${encodedHeader}=.${claims}.${signature}`)).toThrow(
      "The token's header is not valid base64url without padding.",
    );
    expect(() => verifyAt(`${encodedHeader}.${claims}.${signature.replace(/^./, '+')}`)).toThrow(
      "The token's signature is not valid base64url without padding.",
    );
    expect(() => verifyAt(`${encodedHeader}.${claims}.${signature}*`)).toThrow(
      "The token's signature is not valid base64url without padding.",
    );
  });

  it('rejects a header or payload that is not a JSON object', () => {
    const claims = encode(validClaims());
    const notJson = Buffer.from('{"alg":"ES256"').toString('base64url');
    expect(() => verifyAt(`${notJson}.${claims}.sig`)).toThrow("The token's header is not JSON.");
    expect(() => verifyAt(`${encode(['ES256'])}.${claims}.sig`)).toThrow(
      "The token's header is not a JSON object.",
    );

    const input = `${encode(header)}.${Buffer.from('"just a string"').toString('base64url')}`;
    const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    expect(() => verifyAt(`${input}.${signature.toString('base64url')}`)).toThrow(
      "The token's payload is not a JSON object.",
    );
  });

  it.each([
    ['another typ', { ...header, typ: 'JWT' }, validClaims(), 'The token\'s typ "JWT" is not at+jwt.'],
    ['no typ', { alg: 'ES256', kid: 'key-1' }, validClaims(), "The token's typ undefined is not at+jwt."],
    [
      'another issuer',
      header,
      { ...validClaims(), iss: 'katapp/prod' },
      'The token\'s iss "katapp/prod" is not',
    ],
    ['no issuer', header, { ...validClaims(), iss: undefined }, 'The token lacks the required claim iss.'],
    [
      'another audience',
      header,
      { ...validClaims(), aud: 'other-api' },
      'The token\'s aud "other-api" does not',
    ],
    [
      'an audience list without it',
      header,
      { ...validClaims(), aud: ['other-api'] },
      'does not name katapp-api',
    ],
    ['no tid', header, { ...validClaims(), tid: undefined }, 'The token lacks the required claim tid.'],
    ['no exp', header, { ...validClaims(), exp: undefined }, 'The token lacks the required claim exp.'],
    [
      'a string exp',
      header,
      { ...validClaims(), exp: String(nowSeconds + 900) },
      "The token's exp claim is not a",
    ],
    ['a string iat', header, { ...validClaims(), iat: 'today' }, "The token's iat claim is not a number."],
    ['a string nbf', header, { ...validClaims(), nbf: 'today' }, "The token's nbf claim is not a number."],
  ])('rejects a token with %s', (_case, rawHeader, claims, message) => {
    const token = signRaw(rawHeader, claims);
    expect(() => verifyAt(token)).toThrow(JwtInvalidError);
    expect(() => verifyAt(token)).toThrow(message);
  });

  it('checks the claims of an expired token before its expiry', () => {
    // An expired token of another issuer is invalid, not expired, so it never prompts a refresh.
    const token = signRaw(header, { ...validClaims(), iss: 'katapp/prod', exp: nowSeconds - 10 });
    expect(() => verifyAt(token)).toThrow(JwtInvalidError);
  });

  it('signs with a key jose imported from the same JWK', async () => {
    const jwk = privateKey.export({ format: 'jwk' });
    const joseKey = await importJWK({ ...jwk, alg: 'ES256' }, 'ES256');
    const payload = new TextEncoder().encode(JSON.stringify(validClaims()));
    const token = await new CompactSign(payload).setProtectedHeader(header).sign(joseKey);
    expect(verifyAt(token)).toEqual(validClaims());
  });
});
