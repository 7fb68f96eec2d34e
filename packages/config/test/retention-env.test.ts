import { describe, expect, it } from 'vitest';
import { ConfigError, checkRetention, parseEnv, retentionEnv } from '../src/index.ts';

describe('retention settings', () => {
  it('defaults to 30 days of payloads and 90 of tombstones', () => {
    expect(parseEnv(retentionEnv, {})).toEqual({ RETENTION_PAYLOAD_DAYS: 30, RETENTION_DAYS: 90 });
  });

  it('refuses to delete rows before their payload is dropped, in one line', () => {
    const settings = parseEnv(retentionEnv, { RETENTION_DAYS: '7' });
    expect(() => checkRetention(settings)).toThrow(ConfigError);
    expect(() => checkRetention(settings)).toThrow(
      'invalid environment: RETENTION_DAYS (7) must be at least RETENTION_PAYLOAD_DAYS (30)',
    );
  });
});
