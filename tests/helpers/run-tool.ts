import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the project's command-line tools (tools/*.ts or server/*.ts) as a real process: Node
 * with tsx's loader, as `npm run prtc` / `npm run admin` run it, in one process (the `tsx` command
 * starts a second Node to do the same, which cost a third of a second per call).
 */
export function runTool(script: string, args: string[], opts: { input?: string; env?: Record<string, string> } = {}): ToolResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: 60000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * runTool without blocking this process: for tests that talk HTTP to a server around the tool's run.
 * A blocked event loop does not see the server close an idle keep-alive connection (after its 5 s
 * keep-alive timeout), and the next fetch then goes out on that dead socket ("other side closed").
 */
export function runToolAsync(
  script: string,
  args: string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 60000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    p.stdin.end(opts.input ?? '');
  });
}

/** A restaurant's venue link (45-minute visits unless given) made by `prtc venue-create`, as an operator makes one. */
export function venueLinkCli(desc: string, minutes = 45): string {
  const r = runTool('tools/prtc.ts', [
    'venue-create',
    '--desc',
    desc,
    '--type',
    'restaurant',
    '--minutes',
    String(minutes),
    '--host',
    'prtc.example',
  ]);
  if (r.code !== 0) throw new Error(`prtc venue-create: ${r.stderr}`);
  return r.stdout.trim();
}
