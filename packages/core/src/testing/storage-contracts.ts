import { loginThrottleContract } from './login-throttle-contract.js';
import { messageRepositoryContract } from './message-repository-contract.js';
import { resetTokenStoreContract } from './reset-token-store-contract.js';
import { sessionStoreContract } from './session-store-contract.js';
import type { OpenStorage } from './storage-fixture.js';
import { ticketStoreContract } from './ticket-store-contract.js';
import { userRepositoryContract } from './user-repository-contract.js';

/** Every storage port's contract against one backend. */
export function storageContracts(name: string, open: OpenStorage): void {
  userRepositoryContract(name, open);
  sessionStoreContract(name, open);
  messageRepositoryContract(name, open);
  loginThrottleContract(name, open);
  ticketStoreContract(name, open);
  resetTokenStoreContract(name, open);
}
