import { describe, expect, it } from 'vitest';
import { checkDeviceRevocation } from '../../../src/domain/device-revocation.js';

const revokedAt = new Date('2025-06-01T12:00:00.000Z');

describe('checkDeviceRevocation', () => {
  it('accepts triages of a device that was never revoked', () => {
    expect(checkDeviceRevocation(new Date('2025-06-01T13:00:00Z'), undefined)).toEqual({
      accepted: true,
      flagged: false,
    });
  });

  it('accepts and flags a triage captured before the revocation', () => {
    expect(checkDeviceRevocation(new Date('2025-06-01T11:59:59.999Z'), revokedAt)).toEqual({
      accepted: true,
      flagged: true,
    });
  });

  it('rejects a triage captured at the revocation time', () => {
    expect(checkDeviceRevocation(revokedAt, revokedAt)).toEqual({
      accepted: false,
      revokedAt: '2025-06-01T12:00:00.000Z',
    });
  });

  it('rejects a triage captured after the revocation', () => {
    expect(checkDeviceRevocation(new Date('2025-06-01T12:00:01Z'), revokedAt).accepted).toBe(false);
  });
});
