/**
 * `npm run --silent admin -- <command>` against the configured database (same environment as the server):
 *   create-token <name>   prints a new authority bearer token (stored only as a hash)
 *   list-tokens           name, created, revoked
 *   revoke-token <name>
 *   publish               publishes pending keys now; prints the new batch number(s) or says nothing was pending
 *   retention             deletes what is older than 14 days
 *   export-batches <dir>  writes every published batch still stored (<n>.bin + heads.json): a backup
 *   import-batches <dir>  verifies such a copy (signatures, hashes, links) and stores what is missing
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportedBatch } from './domains/publishing/service';
import { loadConfig } from './config';
import { openBackend } from './runtime';
import { runCli, UsageError } from './cli';

const USAGE =
  'usage: admin create-token <name> | list-tokens | revoke-token <name> | publish | retention | export-batches <dir> | import-batches <dir>';
const WITH_ARG = ['create-token', 'revoke-token', 'export-batches', 'import-batches'];

runCli('admin', async (argv) => {
  const [cmd, arg, ...rest] = argv;
  const known = ['create-token', 'list-tokens', 'revoke-token', 'publish', 'retention', 'export-batches', 'import-batches'];
  if (!cmd || !known.includes(cmd)) throw new UsageError(cmd ? `unknown command "${cmd}" (${USAGE})` : USAGE);
  const needsArg = WITH_ARG.includes(cmd);
  if (needsArg && !arg) throw new UsageError(`${cmd} needs ${cmd.endsWith('-batches') ? 'a folder' : 'a name'}`);
  if (needsArg ? rest.length : arg !== undefined) throw new UsageError(`too many arguments for ${cmd}`);
  // the batches' backup and restore work on a database that lost batches: that is what they are for
  const b = await openBackend(loadConfig(), { checkChain: !cmd.endsWith('-batches') });
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
    } else if (cmd === 'export-batches') {
      mkdirSync(arg, { recursive: true });
      const heads: ExportedBatch['head'][] = [];
      for await (const batch of s.publishing.exportBatches()) {
        writeFileSync(join(arg, `${batch.head.n}.bin`), batch.body);
        heads.push(batch.head);
      }
      writeFileSync(join(arg, 'heads.json'), JSON.stringify(heads, null, 1) + '\n');
      process.stdout.write(`exported ${heads.length} batch(es) to ${arg}\n`);
    } else if (cmd === 'import-batches') {
      let heads: ExportedBatch['head'][];
      try {
        heads = JSON.parse(readFileSync(join(arg, 'heads.json'), 'utf8'));
      } catch {
        throw new UsageError(`${arg} has no readable heads.json (made by export-batches)`);
      }
      const present = new Set(readdirSync(arg));
      const batches = heads.map((head) => {
        if (!present.has(`${head.n}.bin`)) throw new UsageError(`${arg} lacks ${head.n}.bin`);
        return { head, body: new Uint8Array(readFileSync(join(arg, `${head.n}.bin`))) };
      });
      const r = await s.publishing.importBatches(batches);
      process.stdout.write(`verified ${batches.length} batch(es): ${r.added} stored, ${r.present} already there\n`);
    } else {
      process.stdout.write(JSON.stringify(await s.maintenance.retention()) + '\n');
    }
  } finally {
    await b.database.close();
  }
});
