export interface ThrottleKey {
  /** Lower-case, so that case games do not multiply the allowance. */
  readonly username: string;
  readonly clientAddress: string;
}

/** Remembers failed logins; the policy that reads them lives in `LogIn`. */
export interface LoginThrottle {
  /** Failures of the key at or after `since`, oldest first. */
  failuresSince(key: ThrottleKey, since: Date): Promise<Date[]>;
  recordFailure(key: ThrottleKey, at: Date): Promise<void>;
  /** Takes back one failure recorded at `at` (an attempt that was never judged); nothing when there is none. */
  withdrawFailure(key: ThrottleKey, at: Date): Promise<void>;
  clear(key: ThrottleKey): Promise<void>;
}
