/** A deadline on a database call (database.ts, replica.ts). */
import { DatabaseTimeout } from './errors';

/** `p`, or a DatabaseTimeout after `ms`; `p` goes on (its failure is swallowed: its caller has been answered). */
export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseTimeout(`${what} took longer than ${ms} ms`)), ms);
  });
  p.catch(() => undefined);
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
