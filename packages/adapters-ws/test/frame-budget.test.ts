import { describe, expect, it } from 'vitest';
import { FrameBudget } from '../src/frame-budget.js';

describe('FrameBudget', () => {
  const fresh = (budget: FrameBudget) => ({ tokens: budget.burst, toppedUpAt: 0 });

  it('allows a burst of twice the rate at once, then nothing until time refills it', () => {
    const budget = new FrameBudget(20);
    const connection = fresh(budget);
    for (let i = 0; i < 40; i++) expect(budget.spend(connection, 0)).toBe(true);
    expect(budget.spend(connection, 0)).toBe(false);
    expect(budget.spend(connection, 49)).toBe(false);
    expect(budget.spend(connection, 50)).toBe(true);
  });

  it('allows the rate sustained for as long as it lasts, and no more', () => {
    const budget = new FrameBudget(20);
    const connection = fresh(budget);
    for (let t = 0; t < 600_000; t += 50) expect(budget.spend(connection, t)).toBe(true);
    const faster = fresh(budget);
    let allowed = 0;
    // 25 frames a second for ten seconds: the burst, then 20 a second.
    for (let t = 0; t < 10_000; t += 40) if (budget.spend(faster, t)) allowed++;
    expect(allowed).toBeGreaterThanOrEqual(40 + 199);
    expect(allowed).toBeLessThanOrEqual(40 + 201);
  });

  it('never banks more than the burst, however long the connection was quiet', () => {
    const budget = new FrameBudget(20);
    const connection = fresh(budget);
    let allowed = 0;
    for (let i = 0; i < 100; i++) if (budget.spend(connection, 3_600_000)) allowed++;
    expect(allowed).toBe(40);
  });
});
