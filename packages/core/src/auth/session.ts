export interface Session {
  readonly id: string;
  readonly userId: string;
  readonly expiresAt: Date;
}
