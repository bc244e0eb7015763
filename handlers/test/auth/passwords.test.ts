import { describe, expect, it } from 'vitest';
import { hashPassword, passwordHashCost, verifyPassword } from '../../src/auth/passwords.js';

describe('password hashing', () => {
  it('stores an Argon2id PHC string with the configured cost', async () => {
    const hash = await hashPassword('correct-horse-battery-staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(passwordHashCost.memorySizeKiB).toBe(19_456);
  });

  it('verifies the right password only', async () => {
    const hash = await hashPassword('correct-horse-battery-staple');
    expect(await verifyPassword('correct-horse-battery-staple', hash)).toBe(true);
    expect(await verifyPassword('correct-horse-battery-stapl', hash)).toBe(false);
  });

  it('salts every hash differently', async () => {
    const first = await hashPassword('same-password-twice');
    const second = await hashPassword('same-password-twice');
    expect(first).not.toBe(second);
  });

  it('treats a malformed hash as no match', async () => {
    expect(await verifyPassword('anything-at-all', 'not-a-phc-string')).toBe(false);
  });
});
