/**
 * Errors meant for the user. Their message is one line that says what is wrong, where
 * (file, line, sequence id) and what to do; the CLI prints it without a stack trace and the
 * UI shows it where the action happened. Anything else that escapes is a bug and is
 * reported as such.
 */
export class UserError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number

  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'UserError'
    this.exitCode = options?.exitCode ?? 1
  }
}

/** Thrown when a long operation stops because its AbortSignal fired. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message)
    this.name = 'CancelledError'
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError
}

/** One line for any error: a UserError's own message, otherwise a short description. */
export function describeError(e: unknown): string {
  if (e instanceof UserError || e instanceof CancelledError) return e.message
  if (e instanceof Error) return `internal error: ${e.message} (run again with --debug for details)`
  return `internal error: ${String(e)}`
}
