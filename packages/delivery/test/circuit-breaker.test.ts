import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../src/circuit-breaker.ts';

const policy = { failureThreshold: 2, coolDownMs: 1_000 };

describe('CircuitBreaker', () => {
  it('opens only after consecutive failures: a success in between starts the count again', () => {
    const breaker = new CircuitBreaker(policy);
    breaker.failed(0);
    breaker.succeeded();
    breaker.failed(0);
    expect(breaker.state(0)).toBe('closed');
    breaker.failed(0);
    expect(breaker.state(0)).toBe('open');
    expect(breaker.admit(400)).toEqual({ admitted: false, retryAfterMs: 600 });
  });

  it('a probe admitted but never sent lets the next caller probe', () => {
    const breaker = new CircuitBreaker(policy);
    breaker.failed(0);
    breaker.failed(0);
    const probe = breaker.admit(1_000);
    expect(probe).toEqual({ admitted: true, probe: true });
    expect(breaker.admit(1_000)).toMatchObject({ admitted: false });
    breaker.release(probe);
    expect(breaker.admit(1_000)).toEqual({ admitted: true, probe: true });
  });

  it('a failed probe opens it for a full cool-down from then', () => {
    const breaker = new CircuitBreaker(policy);
    breaker.failed(0);
    breaker.failed(0);
    breaker.admit(1_500);
    breaker.failed(1_500);
    expect(breaker.state(2_000)).toBe('open');
    expect(breaker.state(2_500)).toBe('half-open');
  });
});
