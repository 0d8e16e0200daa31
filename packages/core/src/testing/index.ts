export { aConversation, aMessage, aNewMessage, appended, aSession, aTokenHash, aUser, type MessageSpec, someUsers } from './builders.js';
export { aCore, type CoreHarness, DEFAULT_TEST_PASSWORD } from './core-harness.js';
export { loginThrottleContract } from './login-throttle-contract.js';
export { messageRepositoryContract } from './message-repository-contract.js';
export { type CreateNotifier, type NotifierFixture, notifierContract } from './notifier-contract.js';
export { type CreatePresence, type PresenceFixture, type PresenceTiming, presenceContract } from './presence-contract.js';
export {
  CONNECTIONS_PER_USER,
  KNOWN_SCENARIOS,
  MAX_ID,
  MODEL_SEED,
  MODEL_USERNAMES,
  type Op,
  type PromiseModelOptions,
  promiseModel,
  runScenario,
  type ScenarioStats,
  type SendOp,
} from './promise-model/index.js';
export { rateLimiterContract } from './rate-limiter-contract.js';
export { resetTokenStoreContract } from './reset-token-store-contract.js';
export { sessionStoreContract } from './session-store-contract.js';
export { storageContracts } from './storage-contracts.js';
export { at, type OpenStorage, type StorageFixture, T0, useStorage } from './storage-fixture.js';
export { ticketStoreContract } from './ticket-store-contract.js';
export { userRepositoryContract } from './user-repository-contract.js';
