/**
 * The one error type of the protocol core. Every rejected input becomes a PrtcError with a stable
 * snake_case `code` (the same codes the HTTP API reports) and a sentence a person can read.
 */
export class PrtcError extends Error {
  readonly code: string;
  readonly field?: string;

  constructor(code: string, message: string, field?: string) {
    super(message);
    this.name = 'PrtcError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}

export function isPrtcError(e: unknown): e is PrtcError {
  return e instanceof PrtcError;
}

/** Throws a PrtcError with code `invalid_<what>` unless `cond` holds. */
export function check(cond: unknown, code: string, message: string, field?: string): asserts cond {
  if (!cond) throw new PrtcError(code, message, field);
}
