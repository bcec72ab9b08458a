/**
 * Prints a configuration error as one clear sentence instead of a stack trace.
 * Returns false for any other error, which the caller prints as usual.
 */
export function reportBootFailure(error: unknown): boolean {
  if (error instanceof Error && error.name === 'ModuleConfigurationError') {
    process.stderr.write(`Le portail ne peut pas démarrer : ${error.message}\n`)
    return true
  }
  return false
}
