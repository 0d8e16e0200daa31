/** The fields drivers put on their errors; neither mysql2 nor better-sqlite3 exports a type for them. */
export interface DriverError {
  readonly code?: unknown;
  readonly errno?: unknown;
  readonly fatal?: unknown;
  readonly message?: unknown;
}

export function driverError(error: unknown): DriverError {
  return typeof error === 'object' && error !== null ? (error as DriverError) : {};
}

export function codeOf(error: unknown): string {
  const { code } = driverError(error);
  return typeof code === 'string' ? code : '';
}
