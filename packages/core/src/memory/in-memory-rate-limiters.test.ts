import { rateLimiterContract } from '../testing/rate-limiter-contract.js';
import { InMemoryRateLimiters } from './in-memory-rate-limiters.js';

const store = new InMemoryRateLimiters();
rateLimiterContract('in memory', () => store);
