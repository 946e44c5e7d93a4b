/** A problem with how the command was called or with its input: exit code 2, message on stderr. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
