/**
 * What the project's command-line tools (`prtc`, `admin`) share: one commander program shape (help
 * at every level, `--version`, one stderr line per usage error) and one mapping of outcomes to exit
 * codes — 0 ok, 1 a negative answer, 2 a usage or input error, 3 something unexpected — never a
 * stack trace.
 */
import { Command, CommanderError } from 'commander';
import { PrtcError } from '../shared/errors';

/** A usage or input error: one line on stderr, exit code 2. */
export class UsageError extends Error {}

/** A negative answer (no such token, an invalid health code): its message, if any, on stderr; exit code 1. */
export class Negative extends Error {}

/** A whole number 0…2^32-1 from an option (surrounding spaces allowed), or the default when absent. */
export function uint(v: string | undefined, name: string, dflt?: number): number {
  if (v === undefined) {
    if (dflt === undefined) throw new UsageError(`missing --${name}`);
    return dflt;
  }
  const s = v.trim();
  if (!/^\d+$/.test(s) || Number(s) > 0xffffffff) throw new UsageError(`--${name} must be a whole number from 0 to 4294967295`);
  return Number(s);
}

/** The top of a tool's program; commands added to it inherit exitOverride (errors come back to runProgram). */
export function cliProgram(name: string, version: string, description: string, afterHelp: string): Command {
  return (
    new Command()
      .name(name)
      .description(description)
      .version(version, '-v, --version')
      // set before the commands are added, so that they inherit it: errors come back as exceptions
      .exitOverride()
      // one line on stderr for a usage error, like every other error of the tools
      .configureOutput({ outputError: (str, write) => write(`${name}: ${str.replace(/^error: /, '').trim()} (see ${name} --help)\n`) })
      .addHelpText('after', afterHelp)
  );
}

/** Runs a program on `argv` and returns its exit code; `inputErrors` are further error classes that count as usage or input errors. */
export async function runProgram(
  name: string,
  p: Command,
  argv: string[],
  inputErrors: (abstract new (...a: never[]) => Error)[] = [],
): Promise<number> {
  try {
    await p.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError)
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    if (e instanceof Negative) {
      if (e.message) process.stderr.write(`${name}: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError || e instanceof PrtcError || inputErrors.some((c) => e instanceof c)) {
      process.stderr.write(`${name}: ${(e as Error).message}\n`);
      return 2;
    }
    process.stderr.write(`${name}: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    return 3;
  }
}
