import { describe, expect, it } from 'vitest';
import { OWASP_SCRYPT_COST, ScryptPasswordHasher, TEST_SCRYPT_COST } from '../src/crypto/index.js';
import { inMemoryPorts } from '../src/memory/index.js';
import { createUseCasesFrom } from '../src/wiring/core-container.js';

/**
 * `npm test` measures at the test cost (the decoy's absence would still show as
 * a ratio near 0); `npm run fuzz` sets LOGIN_TIMING_COST=owasp for the production cost.
 */
const PRODUCTION = process.env.LOGIN_TIMING_COST === 'owasp';
const COST = PRODUCTION ? OWASP_SCRYPT_COST : TEST_SCRYPT_COST;
const ROUNDS = PRODUCTION ? 6 : 25;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * A login for a username nobody has must cost what a wrong password costs,
 * or the time of the 401 tells an attacker which usernames exist. Measured
 * interleaved so machine load hits both alike.
 */
describe('login timing', () => {
  it('takes as long for an unknown username as for a known one with a wrong password', async () => {
    const useCases = createUseCasesFrom(inMemoryPorts({ hasher: new ScryptPasswordHasher(COST) }));
    const created = await useCases.createUser.execute({ username: 'alice', password: 'correct horse battery' });
    expect(created.ok).toBe(true);
    let address = 0;
    const timed = async (username: string): Promise<number> => {
      const started = performance.now();
      // A fresh client address each time keeps the throttle out of the measurement.
      const result = await useCases.logIn.execute({ username, password: 'wrong password', clientAddress: `203.0.113.${++address}` });
      const elapsed = performance.now() - started;
      expect(result).toEqual({ ok: false, error: { kind: 'invalid-credentials' } });
      return elapsed;
    };
    // The first unknown username also derives the decoy hash the later ones verify against.
    const coldUnknown = await timed('nobody-0');
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      unknown.push(await timed(`nobody-${i + 1}`));
      known.push(await timed('alice'));
    }
    const ratio = median(unknown) / median(known);
    console.info(
      `login timing (scrypt N=2^${Math.log2(COST.N)}, r=${COST.r}, p=${COST.p}; median of ${ROUNDS}): unknown username ${median(unknown).toFixed(0)} ms, ` +
        `known username with a wrong password ${median(known).toFixed(0)} ms, ratio ${ratio.toFixed(2)}; first unknown after start ${coldUnknown.toFixed(0)} ms`,
    );
    // Without the decoy an unknown username answers in microseconds against milliseconds: a ratio near 0.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  }, 180_000);
});
