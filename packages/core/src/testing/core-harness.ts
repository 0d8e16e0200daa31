import type { StartedSession } from '../auth/session-starter.js';
import { ScryptPasswordHasher, TEST_SCRYPT_COST } from '../crypto/scrypt-password-hasher.js';
import { BackgroundTasks } from '../memory/background-tasks.js';
import { InMemoryMailbox } from '../memory/in-memory-mailbox.js';
import { inMemoryPorts } from '../memory/in-memory-ports.js';
import { ManualClock } from '../memory/manual-clock.js';
import type { Notification } from '../notifications/events.js';
import type { CoreConfig } from '../shared/config.js';
import type { User } from '../users/user.js';
import type { UseCases } from '../wiring/container-module.js';
import { createUseCasesFrom } from '../wiring/core-container.js';
import type { CorePorts } from '../wiring/core-ports.js';

export const DEFAULT_TEST_PASSWORD = 'correct horse battery';

export interface CoreHarness extends UseCases {
  readonly ports: CorePorts;
  readonly clock: ManualClock;
  /** Every notification published so far, in order. */
  readonly published: Notification[];
  /** Every mail sent so far. */
  readonly mailbox: InMemoryMailbox;
  /** Work done after the answer (mails); `settled()` waits for it. */
  readonly background: BackgroundTasks;
  /** Registers a user and returns the user with a live session. */
  signUp(username: string, password?: string): Promise<StartedSession & { user: User }>;
}

/**
 * The whole core on in-memory adapters, a clock that moves only when told
 * and a cheap hasher: for tests of use cases and of driving adapters. Rate
 * limits are off unless `ports` brings some (or another hasher).
 */
export function aCore(config: Partial<CoreConfig> = {}, ports: Partial<Pick<CorePorts, 'limits' | 'hasher'>> = {}): CoreHarness {
  const clock = new ManualClock('2030-01-01T00:00:00.000Z');
  const published: Notification[] = [];
  const mailbox = new InMemoryMailbox();
  const background = new BackgroundTasks();
  const bound = inMemoryPorts({
    mailer: mailbox,
    background,
    clock,
    hasher: new ScryptPasswordHasher(TEST_SCRYPT_COST),
    delivery: { deliver: (notification) => published.push(notification) },
    config,
    ...ports,
  });
  const useCases = createUseCasesFrom(bound);
  return {
    ...useCases,
    ports: bound,
    clock,
    published,
    mailbox,
    background,
    async signUp(username, password = DEFAULT_TEST_PASSWORD) {
      const created = await useCases.createUser.execute({ username, password });
      if (!created.ok) throw new Error(`test set-up: cannot create ${username}: ${created.error.kind}`);
      const signedIn = await useCases.logIn.execute({ username, password, clientAddress: '198.51.100.1' });
      if (!signedIn.ok) throw new Error(`test set-up: cannot log in ${username}: ${signedIn.error.kind}`);
      return signedIn.value;
    },
  };
}
