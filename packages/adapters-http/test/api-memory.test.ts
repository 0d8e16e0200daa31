import { describeApi } from './api-suite.js';
import { memoryStorage } from './harness.js';

describeApi('in-memory storage', memoryStorage);
