/** Small shared helpers for the project's command-line tools (prtc, admin). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PrtcError } from '../shared/errors';

/** A usage error: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {}

export function parse<T extends ParseArgsConfig['options']>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

export function required(v: string | boolean | undefined, name: string): string {
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${name}`);
  return v;
}

export function uint(v: string | undefined, name: string, dflt?: number): number {
  if (v === undefined) {
    if (dflt === undefined) throw new UsageError(`missing --${name}`);
    return dflt;
  }
  if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new UsageError(`--${name} must be a whole number from 0 to 4294967295`);
  return Number(v);
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Runs a CLI main: usage and input errors → one line on stderr, exit 2; anything unexpected →
 * one line, exit 1. Never a stack trace.
 */
export function runCli(name: string, main: (argv: string[]) => Promise<void> | void): void {
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .catch((e: unknown) => {
      if (e instanceof UsageError || e instanceof PrtcError) {
        process.stderr.write(`${name}: ${e.message}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`${name}: internal error: ${(e as Error)?.message ?? String(e)}\n`);
        process.exitCode = 1;
      }
    });
}
