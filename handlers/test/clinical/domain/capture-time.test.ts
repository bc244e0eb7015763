import { describe, expect, it } from 'vitest';
import {
  checkCaptureTime,
  MAX_CAPTURE_AHEAD_MS,
  MAX_CAPTURE_BEFORE_START_MS,
} from '../../../src/domain/capture-time.js';

const now = new Date('2025-06-01T12:00:00.000Z');
const started = new Date('2025-06-01T10:00:00.000Z');

describe('checkCaptureTime', () => {
  it('accepts a capture time between start and now', () => {
    expect(checkCaptureTime(new Date('2025-06-01T11:00:00Z'), started, now)).toEqual({ plausible: true });
  });

  it('accepts a device clock up to five minutes ahead', () => {
    const atLimit = new Date(now.getTime() + MAX_CAPTURE_AHEAD_MS);
    expect(checkCaptureTime(atLimit, started, now).plausible).toBe(true);
  });

  it('rejects a capture time just beyond the future limit', () => {
    const beyond = new Date(now.getTime() + MAX_CAPTURE_AHEAD_MS + 1);
    expect(checkCaptureTime(beyond, started, now)).toEqual({
      plausible: false,
      reason: 'in-future',
      limit: '2025-06-01T12:05:00.000Z',
    });
  });

  it('accepts triages up to 24 hours before the start', () => {
    const atLimit = new Date(started.getTime() - MAX_CAPTURE_BEFORE_START_MS);
    expect(checkCaptureTime(atLimit, started, now).plausible).toBe(true);
  });

  it('rejects triages long before the start', () => {
    const beyond = new Date(started.getTime() - MAX_CAPTURE_BEFORE_START_MS - 1);
    expect(checkCaptureTime(beyond, started, now)).toEqual({
      plausible: false,
      reason: 'before-disaster-start',
      limit: '2025-05-31T10:00:00.000Z',
    });
  });
});
