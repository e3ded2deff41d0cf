/**
 * `npm run --silent admin -- <command>`: running a key server, against the configured database
 * (the same environment as the server). `admin --help` and `admin <command> --help` say everything.
 * Every command that prints data takes `--json`. Exit codes: 0 ok, 1 a negative result (nothing
 * to revoke), 2 a usage or input error, 3 something unexpected (the database unreachable…).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { toBase64url } from '../shared/protocol/codec';
import type { ExportedBatch, ExportedRegionBatch } from './domains/publishing/service';
import { loadConfig } from './config';
import { openBackend, type Backend } from './backend';
import { cliProgram, Negative, runProgram, UsageError } from './cli';

const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

const out = (s: string) => process.stdout.write(s + '\n');
const json = (v: unknown) => out(JSON.stringify(v, null, 1));
const when = (t: number | null) => (t === null ? null : new Date(t * 1000).toISOString());

/** Opens the backend, runs `fn`, closes it. The batch backup and restore work on a database that lost batches: that is what they are for. */
async function withBackend<T>(fn: (b: Backend) => Promise<T>, checkChain = true): Promise<T> {
  const b = await openBackend(loadConfig(), { checkChain });
  try {
    return await fn(b);
  } finally {
    await b.database.close();
  }
}

function program(): Command {
  const p = cliProgram(
    'admin',
    VERSION,
    'run a PrTC key server: tokens, publishing, the signed configuration, backups, status and statistics',
    '\nThe database and secrets come from the environment, as for npm start (DATABASE_URL, DATA_DIR, SIGNING_KEY, CODE_PEPPER).\nExit codes: 0 ok, 1 nothing to do (no such token), 2 a usage or input error, 3 something unexpected.',
  );

  p.command('create-user')
    .description('a person in a portal realm (the realm is created if new); prints only their one-time link to set a password (valid 24 h)')
    .argument('<username>', "3-64 lower-case letters, digits, '.', '_' or '-'")
    .requiredOption('--realm <realm>', 'the health authority or clinic (1-63 letters, digits, spaces, ".", "_", "-")')
    .option('--role <role>', 'admin (people, API keys, quota, statistics) or issuer (codes)', 'issuer')
    .option('--json', 'JSON output')
    .action((username: string, o) =>
      withBackend(async (b) => {
        const r = await b.services.portal.createUser(o.realm, username, o.role);
        const link = `${b.services.config.publicUrl}/portal/setup/${r.token}`;
        if (o.json) json({ username: username.trim().toLowerCase(), realm: o.realm, role: o.role, link });
        else out(link);
      }),
    );

  p.command('new-link')
    .description('a new one-time link for a person who lost their password (valid 24 h)')
    .argument('<username>')
    .option('--clear-second-factor', 'also turn their second step off (a lost phone); they set it up again')
    .option('--json', 'JSON output')
    .action((username: string, o) =>
      withBackend(async (b) => {
        const token = await b.services.portal.newLink(username, Boolean(o.clearSecondFactor));
        if (!token) throw new Negative(`no active person named "${username}"`);
        const link = `${b.services.config.publicUrl}/portal/setup/${token}`;
        if (o.json) json({ username, link });
        else out(link);
      }),
    );

  /** The realm named by --realm (its API keys), or null for the operator's own tokens. */
  const realmOf = async (b: Backend, realm: string | undefined): Promise<number | null> => {
    if (realm === undefined) return null;
    const id = await b.services.portal.realmId(realm);
    if (id === null) throw new UsageError(`no realm named "${realm}" (create-user makes one)`);
    return id;
  };
  const realmOption = '--realm <realm>';
  const realmHelp = "a portal realm's API keys (lab systems) instead of the operator's tokens";

  p.command('create-token')
    .description("a health authority's bearer token (printed once, stored only as a hash)")
    .argument('<name>', "1-64 letters, digits, '.', '_' or '-'; a revoked token's name may be used again")
    .option(realmOption, realmHelp)
    .option('--json', 'JSON output')
    .action((name: string, o) =>
      withBackend(async (b) => {
        const token = await b.services.authority.createToken(name.trim(), await realmOf(b, o.realm));
        if (o.json) json({ name, token });
        else out(token);
      }),
    );

  p.command('list-tokens')
    .description('every token, active and revoked (the history)')
    .option(realmOption, realmHelp)
    .option('--json', 'JSON output')
    .action((o) =>
      withBackend(async (b) => {
        const tokens = (await b.services.authority.listTokens(await realmOf(b, o.realm))).map((t) => ({
          name: t.name,
          createdAt: when(t.createdAt),
          revokedAt: when(t.revokedAt),
        }));
        if (o.json) json(tokens);
        else for (const t of tokens) out(`${t.name}\tcreated ${t.createdAt}\t${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}`);
      }),
    );

  p.command('revoke-token')
    .description('revoke the active token of that name, and void the codes it issued that are still unused')
    .argument('<name>')
    .option(realmOption, realmHelp)
    .option('--json', 'JSON output')
    .action((name: string, o) =>
      withBackend(async (b) => {
        const r = await b.services.authority.revokeToken(name.trim(), await realmOf(b, o.realm));
        if (!r) throw new Negative(`no active token named "${name}"`);
        if (o.json) json({ name, revoked: true, voidedCodes: r.voided });
        else out(`revoked ${name}; voided ${r.voided} unused code${r.voided === 1 ? '' : 's'}`);
      }),
    );

  p.command('operator-realm')
    .description("the operator's realm, whose admins publish the health authority's advice in the portal: shown, or set to <realm>")
    .argument('[realm]', 'an existing realm (create-user makes one); it replaces the one named before')
    .option('--json', 'JSON output')
    .action((realm: string | undefined, o) =>
      withBackend(async (b) => {
        if (realm !== undefined && !(await b.services.portal.setOperatorRealm(realm)))
          throw new UsageError(`no realm named "${realm}" (create-user makes one)`);
        const name = await b.services.portal.operatorRealm();
        if (o.json) json({ operatorRealm: name });
        else if (name === null) throw new Negative('no operator realm yet: admin operator-realm <realm> names one');
        else out(name);
      }),
    );

  const config = p
    .command('risk-config')
    .description('the signed configuration phones download (§6): show it, check a file, publish a file')
    .addHelpText(
      'after',
      '\nA file is a version-2 document as `risk-config show --json` prints it; serial and issuedAt may be left out (publishing sets them).\nA bad file is refused with the field that is wrong (exit 2) and nothing is published.',
    );
  config
    .command('show')
    .description('the configuration in force: serial, risk model, advice (--json: the document itself, to edit and publish)')
    .option('--json', 'the document as JSON')
    .action((o) =>
      withBackend(async (b) => {
        const c = await b.services.riskConfig.current();
        if (o.json) {
          const { other, ...known } = c;
          json({ ...known, ...other });
          return;
        }
        const published = (await b.services.riskConfig.publications(1))[0];
        out(
          `serial      ${c.serial}${published ? `, published ${when(published.publishedAt)}` : " (the build's default: nothing published yet)"}`,
        );
        out(
          `risk        near < ${c.nearBelow} dB, medium < ${c.mediumBelow} dB, weights ${c.weights.near}/${c.weights.medium}/${c.weights.far}; red at ${c.redWeightedMinutes} weighted min or ${c.redVenueMinutes} venue min; counts ${c.exposureDays} days`,
        );
        for (const level of ['green', 'yellow', 'red'] as const) {
          const a = c.advice[level];
          out(`${level.padEnd(11)} ${a.en.now}${a.en.hotline ? ` · hotline ${a.en.hotline}` : ''}${a.en.link ? ` · ${a.en.link}` : ''}`);
        }
        if (c.other) out(`sections    also ${Object.keys(c.other).join(', ')}`);
      }),
    );
  /** A configuration file, read and checked; a UsageError or PrtcError (exit 2) for one that is unreadable or bad. */
  const readConfig = (b: Backend, file: string) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return b.services.riskConfig.check(text);
  };
  const ignoredNote = (sections: string[]) =>
    sections.length ? ` (not checked by this server, served as they are: ${sections.join(', ')})` : '';
  config
    .command('check')
    .description('check a configuration file without publishing it')
    .argument('<file>')
    .option('--json', 'JSON output')
    .action((file: string, o) =>
      withBackend(async (b) => {
        const r = readConfig(b, file);
        if (o.json) json({ ok: true, unknownSections: r.unknownSections });
        else out(`ok${ignoredNote(r.unknownSections)}`);
      }),
    );
  config
    .command('publish')
    .description('check a configuration file and publish it as the next serial; phones take it at their next check')
    .argument('<file>')
    .option('--json', 'JSON output')
    .action((file: string, o) =>
      withBackend(async (b) => {
        const r = readConfig(b, file);
        const done = await b.services.portal.publishConfigFromCli(r.config);
        if (o.json) json({ serial: done.serial, issuedAt: when(done.issuedAt), audited: done.audited, unknownSections: r.unknownSections });
        else out(`published configuration ${done.serial}${ignoredNote(r.unknownSections)}`);
      }),
    );

  p.command('publish')
    .description('publish pending keys now; prints the new batch numbers')
    .option('--json', 'JSON output')
    .action((o) =>
      withBackend(async (b) => {
        const made = await b.services.publishing.publish();
        if (o.json) json({ published: made });
        else out(made.length ? made.join('\n') : 'nothing pending');
      }),
    );

  p.command('retention')
    .description('delete what is older than 14 days')
    .option('--json', 'JSON output (always)')
    .action(() =>
      withBackend(async (b) => {
        json(await b.services.maintenance.retention());
      }),
    );

  p.command('status')
    .description('database, newest batch, pending uploads, last publish, live codes, the signing key’s fingerprint')
    .option('--json', 'JSON output')
    .action((o) =>
      withBackend(async (b) => {
        const s = b.services;
        const now = s.clock.now();
        let ready: string = 'ready';
        try {
          await s.maintenance.ready();
        } catch (e) {
          ready = `not ready (${(e as Error).message})`;
        }
        const head = await s.publishing.lastBatch();
        const pending = await s.uploads.countPending();
        const counts = await s.authority.counts();
        const key = s.distribution.publicKey().key;
        const status = {
          database: { kind: b.database.kind, state: ready },
          head: head
            ? { n: head.n, publishedAt: when(head.createdAt), signedAt: when(head.signedAt), signedAgoS: now - head.signedAt }
            : null,
          pending,
          liveCodes: counts.liveCodes,
          activeTokens: counts.activeTokens,
          publicKey: key,
          keyFingerprint: `SHA256:${toBase64url(new Uint8Array(createHash('sha256').update(Buffer.from(key, 'base64url')).digest()))}`,
        };
        if (o.json) {
          json(status);
          return;
        }
        out(`database      ${status.database.kind}, ${status.database.state}`);
        out(
          `newest batch  ${head ? `${head.n}, published ${status.head!.publishedAt}, signed ${Math.round(status.head!.signedAgoS / 60)} min ago` : 'none yet'}`,
        );
        out(`pending       ${pending.keys} keys, ${pending.warnings} venue warnings`);
        out(`codes         ${counts.liveCodes} live; ${counts.activeTokens} active tokens`);
        out(`signing key   ${status.publicKey} (${status.keyFingerprint})`);
      }),
    );

  p.command('stats')
    .description('per day of the last 14: codes issued and used, keys published (exact: this is the operator’s view)')
    .option('--json', 'JSON output')
    .action((o) =>
      withBackend(async (b) => {
        const s = b.services;
        const today = s.clock.now() - (s.clock.now() % 86400);
        const from = today - 13 * 86400;
        const codes = await s.authority.codesPerDay(from);
        const keys = await s.distribution.exactDayStats(from);
        const days = Array.from({ length: 14 }, (_, k) => from + k * 86400).map((day) => ({
          date: new Date(day * 1000).toISOString().slice(0, 10),
          codesIssued: codes.issued.find((r) => r.day === day)?.n ?? 0,
          codesUsed: codes.used.find((r) => r.day === day)?.n ?? 0,
          keysPublished: keys.find((r) => r.day === day)?.keys ?? 0,
        }));
        if (o.json) {
          json(days);
          return;
        }
        out('date        issued  used  keys');
        for (const d of days)
          out(
            `${d.date}  ${String(d.codesIssued).padStart(6)}  ${String(d.codesUsed).padStart(4)}  ${String(d.keysPublished).padStart(4)}`,
          );
      }),
    );

  p.command('export-batches')
    .description(
      'write every published batch still stored: a backup (<n>.bin + heads.json for the national chain, regions/<region>/ the same for each region)',
    )
    .argument('<dir>')
    .option('--json', 'JSON output')
    .action((dir: string, o) =>
      withBackend(async (b) => {
        try {
          mkdirSync(dir, { recursive: true });
        } catch (e) {
          throw new UsageError(`cannot write to ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
        const heads: ExportedBatch['head'][] = [];
        for await (const batch of b.services.publishing.exportBatches()) {
          writeFileSync(join(dir, `${batch.head.n}.bin`), batch.body);
          heads.push(batch.head);
        }
        writeFileSync(join(dir, 'heads.json'), JSON.stringify(heads, null, 1) + '\n');
        // §15: each region's chain in regions/<region>/, laid out like the national chain
        const regional = new Map<number, ExportedBatch['head'][]>();
        for await (const batch of b.services.publishing.exportRegionBatches()) {
          const sub = join(dir, 'regions', String(batch.region));
          if (!regional.has(batch.region)) {
            mkdirSync(sub, { recursive: true });
            regional.set(batch.region, []);
          }
          writeFileSync(join(sub, `${batch.head.n}.bin`), batch.body);
          regional.get(batch.region)!.push(batch.head);
        }
        for (const [region, list] of regional)
          writeFileSync(join(dir, 'regions', String(region), 'heads.json'), JSON.stringify(list, null, 1) + '\n');
        const regionalCount = [...regional.values()].reduce((s, l) => s + l.length, 0);
        if (o.json) json({ exported: heads.length, regions: regional.size, regionalBatches: regionalCount, dir });
        else out(`exported ${heads.length} batch(es) and ${regionalCount} regional batch(es) of ${regional.size} region(s) to ${dir}`);
      }, false),
    );

  p.command('import-batches')
    .description(
      'verify a copy made by export-batches (signatures, hashes, links; every chain before storing any) and store what is missing',
    )
    .argument('<dir>')
    .option('--json', 'JSON output')
    .action((dir: string, o) =>
      withBackend(async (b) => {
        const batches = readChain(dir);
        const regionBatches: ExportedRegionBatch[] = [];
        const regionsDir = join(dir, 'regions');
        if (existsSync(regionsDir)) {
          for (const name of readdirSync(regionsDir).sort()) {
            if (!/^[1-9][0-9]{0,9}$/.test(name)) throw new UsageError(`${regionsDir}/${name} is not a region's folder (a region code)`);
            const region = Number(name);
            for (const batch of readChain(join(regionsDir, name))) regionBatches.push({ region, ...batch });
          }
        }
        const r = await b.services.publishing.importBatches(batches, regionBatches);
        const g = r.regional;
        if (o.json) json({ verified: batches.length, stored: r.added, alreadyThere: r.present, regional: g });
        else
          out(
            `verified ${batches.length} batch(es): ${r.added} stored, ${r.present} already there; ` +
              `${g.chains} region(s), ${g.verified} regional batch(es): ${g.added} stored, ${g.present} already there`,
          );
      }, false),
    );

  return p;
}

/** One chain as export-batches wrote it in `dir`: heads.json and a <n>.bin per head. */
function readChain(dir: string): ExportedBatch[] {
  let heads: ExportedBatch['head'][];
  try {
    heads = JSON.parse(readFileSync(join(dir, 'heads.json'), 'utf8'));
  } catch {
    throw new UsageError(`${dir} has no readable heads.json (made by export-batches)`);
  }
  if (!Array.isArray(heads)) throw new UsageError(`${dir}/heads.json is not a list of heads (made by export-batches)`);
  const present = new Set(readdirSync(dir));
  return heads.map((head) => {
    if (!present.has(`${head.n}.bin`)) throw new UsageError(`${dir} lacks ${head.n}.bin`);
    return { head, body: new Uint8Array(readFileSync(join(dir, `${head.n}.bin`))) };
  });
}

async function main(argv: string[]): Promise<number> {
  return runProgram('admin', program(), argv);
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
