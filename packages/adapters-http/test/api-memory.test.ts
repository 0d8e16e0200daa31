import { describeAccountEmailApi } from './account-email-suite.js';
import { describeApi } from './api-suite.js';
import { memoryStorage } from './harness.js';

describeApi('in-memory storage', memoryStorage);

describeAccountEmailApi('in-memory storage', memoryStorage);
