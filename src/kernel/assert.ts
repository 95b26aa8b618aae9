/**
 * Programmer errors (broken invariants) crash: they are never a business refusal.
 * Example: `invariant(debits === credits, 'journal unbalanced')`.
 */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}
