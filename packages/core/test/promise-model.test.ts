import { describe } from 'vitest';
import { inMemoryPorts } from '../src/memory/index.js';
import { promiseModel } from '../src/testing/index.js';

describe('the promise, modelled', () => {
  promiseModel(
    'the in-memory adapters',
    async () => {
      const { users, sessions, messages, throttle, tickets } = inMemoryPorts();
      return { users, sessions, messages, throttle, tickets, close: async () => {} };
    },
    { numRuns: 150 },
  );
});
