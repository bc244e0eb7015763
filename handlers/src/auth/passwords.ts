/**
 * Password hashing with Argon2id (hash-wasm, WebAssembly). Cost: 19 MiB memory, 2 iterations, 1 lane, the
 * minimum OWASP's Password Storage Cheat Sheet lists for Argon2id. One hash or verify took about 150 ms on the
 * 2-core development machine with Node 24; a 1024 MB Lambda is in the same range. The encoded PHC string
 * carries its parameters, so raising the cost later still verifies old hashes.
 */
import { randomBytes } from 'node:crypto';
import { argon2id, argon2Verify } from 'hash-wasm';

export const passwordHashCost = {
  memorySizeKiB: 19_456,
  iterations: 2,
  parallelism: 1,
  hashLengthBytes: 32,
  saltLengthBytes: 16,
} as const;

/** Returns the Argon2id hash of a password as an encoded PHC string (`$argon2id$v=19$m=...`). */
export async function hashPassword(password: string): Promise<string> {
  return argon2id({
    password,
    salt: randomBytes(passwordHashCost.saltLengthBytes),
    memorySize: passwordHashCost.memorySizeKiB,
    iterations: passwordHashCost.iterations,
    parallelism: passwordHashCost.parallelism,
    hashLength: passwordHashCost.hashLengthBytes,
    outputType: 'encoded',
  });
}

/** Returns whether the password matches an encoded Argon2id hash. A malformed hash never matches. */
export async function verifyPassword(password: string, encodedHash: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash: encodedHash });
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification for a login whose e-mail is unknown, so response times do not
 * reveal which e-mail addresses exist.
 */
export async function verifyAgainstDummyHash(password: string): Promise<void> {
  dummyHash ??= hashPassword('katapp-dummy-password-for-unknown-accounts');
  await verifyPassword(password, await dummyHash);
}
