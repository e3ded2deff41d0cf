/**
 * `npm run --silent admin -- <command>` against the configured database (same environment as the server):
 *   create-token <name>   prints a new authority bearer token (stored only as a hash)
 *   list-tokens           name, created, revoked
 *   revoke-token <name>
 *   publish               publishes pending keys now; prints the new batch number(s) or says nothing was pending
 *   retention             deletes what is older than 14 days
 */
import { loadConfig } from './config';
import { openBackend } from './runtime';
import { runCli, UsageError } from './cli';

const USAGE = 'usage: admin create-token <name> | list-tokens | revoke-token <name> | publish | retention';

runCli('admin', async (argv) => {
  const [cmd, arg, ...rest] = argv;
  const known = ['create-token', 'list-tokens', 'revoke-token', 'publish', 'retention'];
  if (!cmd || !known.includes(cmd)) throw new UsageError(cmd ? `unknown command "${cmd}" (${USAGE})` : USAGE);
  const needsArg = cmd === 'create-token' || cmd === 'revoke-token';
  if (needsArg && !arg) throw new UsageError(`${cmd} needs a name`);
  if (needsArg ? rest.length : arg !== undefined) throw new UsageError(`too many arguments for ${cmd}`);
  const b = await openBackend(loadConfig());
  try {
    const s = b.services;
    if (cmd === 'create-token') process.stdout.write((await s.authority.createToken(arg)) + '\n');
    else if (cmd === 'list-tokens') {
      for (const t of await s.authority.listTokens()) {
        const when = (x: number) => new Date(x * 1000).toISOString();
        process.stdout.write(`${t.name}\tcreated ${when(t.createdAt)}\t${t.revokedAt ? 'revoked ' + when(t.revokedAt) : 'active'}\n`);
      }
    } else if (cmd === 'revoke-token') {
      if (!(await s.authority.revokeToken(arg))) throw new UsageError(`no active token named "${arg}"`);
      process.stdout.write(`revoked ${arg}\n`);
    } else if (cmd === 'publish') {
      const made = await s.publishing.publish();
      process.stdout.write(made.length ? made.join('\n') + '\n' : 'nothing pending\n');
    } else {
      process.stdout.write(JSON.stringify(await s.maintenance.retention()) + '\n');
    }
  } finally {
    await b.database.close();
  }
});
