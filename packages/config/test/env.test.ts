import { describe, expect, it } from 'vitest';
import { commonEnv, parseEnv } from '../src/index.ts';

describe('the environment', () => {
  it('applies the documented defaults', () => {
    expect(parseEnv(commonEnv, {})).toEqual({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/webhooks',
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'webhook-inbox',
      SOURCES_FILE: 'config/sources.json',
      LOG_LEVEL: 'info',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(parseEnv(commonEnv, { LOG_LEVEL: '', QUEUE_PREFIX: '' })).toMatchObject({
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: 'webhook-inbox',
    });
  });

  it('names the bad setting in one line', () => {
    expect(() => parseEnv(commonEnv, { LOG_LEVEL: 'loud' })).toThrow(
      /^invalid environment: LOG_LEVEL: /,
    );
    expect(() => parseEnv(commonEnv, { QUEUE_PREFIX: 'a:b' })).toThrow(
      'invalid environment: QUEUE_PREFIX: letters, digits, _ and - only, optionally all in one {hash tag}',
    );
  });

  it('takes a queue prefix that is one Redis Cluster hash tag, and nothing half-tagged', () => {
    expect(parseEnv(commonEnv, { QUEUE_PREFIX: '{wi}' }).QUEUE_PREFIX).toBe('{wi}');
    for (const prefix of ['{wi', 'wi}', '{}', '{w:i}', '{a}{b}']) {
      expect(() => parseEnv(commonEnv, { QUEUE_PREFIX: prefix })).toThrow(/QUEUE_PREFIX/);
    }
  });
});
