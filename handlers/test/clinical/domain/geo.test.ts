import { describe, expect, it } from 'vitest';
import { distanceKm } from '../../../src/domain/geo.js';

describe('distanceKm', () => {
  it('is zero for the same position', () => {
    expect(distanceKm({ lat: 50.03, lon: 8.57 }, { lat: 50.03, lon: 8.57 })).toBe(0);
  });

  it('measures Frankfurt airport to Berlin Brandenburg airport', () => {
    // The great-circle distance between the two airports' reference points is roughly 430 km.
    const distance = distanceKm({ lat: 50.0333, lon: 8.5706 }, { lat: 52.3667, lon: 13.5033 });
    expect(distance).toBeGreaterThan(420);
    expect(distance).toBeLessThan(440);
  });

  it('measures one degree of latitude as about 111 km', () => {
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(111.2, 1);
  });

  it('handles antipodes without NaN', () => {
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * 6371.0088, 3);
  });
});
