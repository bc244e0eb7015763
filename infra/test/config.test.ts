import { describe, expect, it } from 'vitest';
import { overridesFromEnvironment, resolveStageConfig, StageConfigError } from '../src/config.js';

describe('resolveStageConfig', () => {
  it('returns dev with defaults', () => {
    const config = resolveStageConfig('dev');
    expect(config.stage).toBe('dev');
    expect(config.region).toBe('eu-central-1');
    expect(config.deployIdentity).toBe('github-oidc');
    expect(config.domain).toBeUndefined();
    expect(config.removalPolicy).toBe('destroy');
  });

  it('keeps prod data on stack deletion', () => {
    const config = resolveStageConfig('prod');
    expect(config.removalPolicy).toBe('retain');
    expect(config.logRetentionDays).toBe(365);
  });

  it('rejects an unknown stage', () => {
    expect(() => resolveStageConfig('staging')).toThrow(
      'Unknown stage "staging": expected one of dev, prod.',
    );
  });

  it('applies overrides and ignores undefined ones', () => {
    const config = resolveStageConfig('dev', { account: '123456789012', region: undefined });
    expect(config.account).toBe('123456789012');
    expect(config.region).toBe('eu-central-1');
  });

  it.each([
    [{ account: '1234' }, 'account "1234" is not a 12-digit AWS account id'],
    [{ region: 'frankfurt' }, 'region "frankfurt" is not an AWS region name'],
    [
      { domain: { name: 'Example.ORG', hostedZoneId: 'Z123' } },
      'domain "Example.ORG" is not a lower-case DNS name',
    ],
    [
      { domain: { name: 'katapp.example.org', hostedZoneId: 'zone-1' } },
      'hostedZoneId "zone-1" is not a Route 53 zone id',
    ],
    [{ logRetentionDays: 10 }, 'logRetentionDays 10 is not one of'],
    [{ githubRepository: 'katapp' }, 'githubRepository "katapp" must look like owner/name'],
    [
      { extraCorsOrigins: ['https://app.example.org/path'] },
      'extraCorsOrigins entry "https://app.example.org/path"',
    ],
  ])('rejects invalid override %j', (overrides, message) => {
    expect(() => resolveStageConfig('dev', overrides)).toThrow(StageConfigError);
    expect(() => resolveStageConfig('dev', overrides)).toThrow(message);
  });
});

describe('overridesFromEnvironment', () => {
  it('reads the domain with its zone', () => {
    const overrides = overridesFromEnvironment({
      KATAPP_DOMAIN: 'katapp.example.org',
      KATAPP_HOSTED_ZONE_ID: 'Z0123',
    });
    expect(overrides.domain).toEqual({ name: 'katapp.example.org', hostedZoneId: 'Z0123' });
  });

  it('rejects a domain without a zone', () => {
    expect(() => overridesFromEnvironment({ KATAPP_DOMAIN: 'katapp.example.org' })).toThrow(
      'KATAPP_DOMAIN and KATAPP_HOSTED_ZONE_ID must be set together',
    );
  });
});
