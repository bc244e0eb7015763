/**
 * ES256 JSON Web Tokens (RFC 7519) in the JWS compact serialization (RFC 7515) with node:crypto. The signature is
 * ECDSA P-256 with SHA-256 as the 64-byte concatenation r || s (RFC 7518, section 3.4), which is node:crypto's
 * `dsaEncoding: 'ieee-p1363'`.
 */
import { type KeyObject, sign, verify } from 'node:crypto';

/** The protected header of the tokens this module signs. */
export interface JwtHeader {
  readonly alg: 'ES256';
  readonly kid: string;
  readonly typ: string;
}

export type JwtClaims = Record<string, unknown>;

/** Header parameters and claims a token must have to verify, besides a valid ES256 signature. */
export interface JwtExpectations {
  /** The `kid` header parameter. */
  readonly kid: string;
  /** The `typ` header parameter, compared case-insensitively and with an optional `application/` prefix. */
  readonly typ: string;
  /** The `iss` claim. */
  readonly issuer: string;
  /** A value the `aud` claim must equal or, for a list, contain. */
  readonly audience: string;
  /** Claims that must be present besides `iss` and `aud`. */
  readonly requiredClaims: readonly string[];
}

/** A token that is malformed, has an invalid signature, or fails a header or claim check. */
export class JwtInvalidError extends Error {
  override readonly name = 'JwtInvalidError';
}

/** A token whose signature and claims are valid but whose `exp` has passed. */
export class JwtExpiredError extends Error {
  override readonly name = 'JwtExpiredError';
}

const es256SignatureBytes = 64;

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * Decodes a base64url segment without padding. Buffer.from skips characters outside the alphabet, so a segment
 * counts as valid only if encoding the bytes again gives it back.
 */
function decodeSegment(segment: string, part: string): Buffer {
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) {
    throw new JwtInvalidError(`The token's ${part} is not valid base64url without padding.`);
  }
  return bytes;
}

function decodeJsonObject(segment: string, part: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeSegment(segment, part).toString('utf8'));
  } catch (error) {
    if (error instanceof JwtInvalidError) throw error;
    throw new JwtInvalidError(`The token's ${part} is not JSON.`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new JwtInvalidError(`The token's ${part} is not a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

/** Returns a `typ` value in lower case without the `application/` prefix (RFC 7515, section 4.1.9). */
function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

/** Signs `claims` with an EC P-256 private key and returns the compact token `header.payload.signature`. */
export function signJwt(header: JwtHeader, claims: JwtClaims, privateKey: KeyObject): string {
  const signingInput = `${encodeSegment(header)}.${encodeSegment(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput, 'utf8'), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}

function checkHeader(header: Record<string, unknown>, expected: JwtExpectations): void {
  // Only ES256 verifies, so `none`, HMAC (a public key used as the secret) and a missing alg are rejected.
  if (header.alg !== 'ES256') {
    throw new JwtInvalidError(`The token's alg ${JSON.stringify(header.alg)} is not allowed; only ES256 is.`);
  }
  // This module implements no JWS extension, so a token that marks one as critical is rejected (RFC 7515, 4.1.11).
  if (header.crit !== undefined) {
    throw new JwtInvalidError('The token has a crit header parameter; no JWS extension is supported.');
  }
  if (header.kid !== expected.kid) {
    throw new JwtInvalidError(`The token's kid ${JSON.stringify(header.kid)} is not the signing key's kid.`);
  }
}

function checkClaims(
  header: Record<string, unknown>,
  claims: JwtClaims,
  expected: JwtExpectations,
  nowSeconds: number,
): void {
  if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== normalizeTyp(expected.typ)) {
    throw new JwtInvalidError(`The token's typ ${JSON.stringify(header.typ)} is not ${expected.typ}.`);
  }
  for (const claim of [...expected.requiredClaims, 'iss', 'aud']) {
    if (!(claim in claims)) {
      throw new JwtInvalidError(`The token lacks the required claim ${claim}.`);
    }
  }
  if (claims.iss !== expected.issuer) {
    throw new JwtInvalidError(`The token's iss ${JSON.stringify(claims.iss)} is not ${expected.issuer}.`);
  }
  const audience = claims.aud;
  const audienceMatches = Array.isArray(audience)
    ? audience.includes(expected.audience)
    : audience === expected.audience;
  if (!audienceMatches) {
    throw new JwtInvalidError(
      `The token's aud ${JSON.stringify(audience)} does not name ${expected.audience}.`,
    );
  }
  for (const claim of ['iat', 'nbf', 'exp']) {
    if (claims[claim] !== undefined && typeof claims[claim] !== 'number') {
      throw new JwtInvalidError(`The token's ${claim} claim is not a number.`);
    }
  }
  // No clock tolerance: a token is valid from nbf (inclusive) to exp (exclusive), in whole seconds.
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) {
    throw new JwtInvalidError(`The token is not valid before ${claims.nbf} (now ${nowSeconds}).`);
  }
  if (typeof claims.exp === 'number' && claims.exp <= nowSeconds) {
    throw new JwtExpiredError(`The token expired at ${claims.exp} (now ${nowSeconds}).`);
  }
}

/**
 * Verifies an ES256 token against an EC P-256 public key and `expected`, and returns its claims. Throws
 * JwtExpiredError when only the expiry check fails and JwtInvalidError for every other failure. The checks run
 * in this order: format, header (alg, crit, kid), signature, typ, claims.
 */
export function verifyJwt(
  token: string,
  publicKey: KeyObject,
  expected: JwtExpectations,
  now: Date,
): JwtClaims {
  const segments = token.split('.');
  if (segments.length !== 3) {
    throw new JwtInvalidError(`The token has ${segments.length} dot-separated segments; a JWS has 3.`);
  }
  const [encodedHeader = '', encodedClaims = '', encodedSignature = ''] = segments;
  const header = decodeJsonObject(encodedHeader, 'header');
  checkHeader(header, expected);

  const signature = decodeSegment(encodedSignature, 'signature');
  if (signature.length !== es256SignatureBytes) {
    throw new JwtInvalidError(
      `The token's signature has ${signature.length} bytes; an ES256 signature has ${es256SignatureBytes}.`,
    );
  }
  const signingInput = Buffer.from(`${encodedHeader}.${encodedClaims}`, 'utf8');
  const valid = verify('sha256', signingInput, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  if (!valid) {
    throw new JwtInvalidError('The token signature is invalid.');
  }

  const claims = decodeJsonObject(encodedClaims, 'payload');
  checkClaims(header, claims, expected, Math.floor(now.getTime() / 1000));
  return claims;
}
