/**
 * `npm run --silent prtc -- <command>`: PrTC codes without a phone, and venue posters.
 * `prtc --help` and `prtc <command> --help` say everything; commander parses the arguments.
 *
 * Conventions (those of gh and kubectl): every command that prints data takes `--json`; `-` reads
 * a code, a link or a file from stdin; input is trimmed (scanners add a newline). Exit codes: 0 ok,
 * 1 a negative result (an invalid health code), 2 a usage or input error, 3 something unexpected.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { fromBase64url, fromHex, toBase64url, toHex } from '../shared/protocol/codec';
import { verifyHealthCode } from '../shared/protocol/healthcode';
import {
  encodeVenuePayload,
  MAX_DESC_BYTES,
  parseVenueUrl,
  venueTypeName,
  venueUrl,
  VENUE_TYPES,
  type Venue,
} from '../shared/protocol/venue';
import { utf8Encode } from '../shared/protocol/codec';
import { batchHash, decodeBatch } from '../shared/protocol/batch';
import { dayInterval, enin, ROLLING_PERIOD } from '../shared/protocol/time';
import { cryptAem, dayKeys, deriveAemk, deriveRpis, getProfile } from '../shared/protocol/crypto';
import { decodeScanResult, encodeFrame, type FrameKind } from '../shared/protocol/ble';
import { cliProgram, Negative, runProgram, uint, UsageError } from '../server/cli';
import { venueRows, type Encoding } from './csv';
import { PosterError, renderPoster, type PosterFormat } from './poster';
import type { Paper } from '../shared/poster/layout';
import { BUILD_REGIONS, findRegion } from '../shared/regions';

const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** A negative result: printed, exit 1. */

const out = (s: string) => process.stdout.write(s + '\n');
const json = (v: unknown) => out(JSON.stringify(v, null, 1));

/** Reads an argument that may be "-" (stdin), trimmed. */
async function arg(v: string | undefined, what: string): Promise<string> {
  if (v === undefined) throw new UsageError(`missing ${what}`);
  if (v !== '-') return v.trim();
  if (process.stdin.isTTY) throw new UsageError(`${what} is "-" but nothing comes on stdin`);
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** A file's bytes, or stdin's for "-". */
async function fileBytes(path: string): Promise<Uint8Array> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  }
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
}

function parseJsonObject(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new UsageError('input is not valid JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UsageError('input must be a JSON object');
  return v as Record<string, unknown>;
}

function str(o: Record<string, unknown>, k: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new UsageError(`"${k}" must be a string`);
  return v;
}

// ---- venues

interface VenueSpec {
  desc?: string;
  type?: string;
  staff?: boolean | string;
  event?: boolean;
  from?: string;
  until?: string;
  minutes?: string;
  /** §15: the venue's region code (a version-2 code); absent: a version-1 code. */
  region?: string;
}

function isoToMinutes(v: string | undefined, name: string): number {
  if (v === undefined || v === '') throw new UsageError(`an event needs --${name} (an ISO date and time, e.g. 2026-12-01T18:00+08:00)`);
  const ms = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(ms)) throw new UsageError(`--${name} is not an ISO date and time: ${v}`);
  return Math.floor(ms / 60_000);
}

function venueType(v: string | undefined): number {
  if (v === undefined || v === '')
    throw new UsageError(`missing --type (0..${VENUE_TYPES.length - 1} or one of: ${VENUE_TYPES.join(', ')})`);
  const byName = VENUE_TYPES.indexOf(v.toLowerCase() as (typeof VENUE_TYPES)[number]);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(v) && Number(v) < VENUE_TYPES.length) return Number(v);
  throw new UsageError(`--type must be 0..${VENUE_TYPES.length - 1} or one of: ${VENUE_TYPES.join(', ')}`);
}

/** One venue from command-line or CSV values; a fresh random seed makes every venue distinct. */
function makeVenue(spec: VenueSpec, host: string): { link: string; venue: Venue } {
  const description = (spec.desc ?? '').trim();
  if (!description) throw new UsageError('missing --desc (the venue name or description shown to visitors)');
  const bytes = utf8Encode(description).length;
  if (bytes > MAX_DESC_BYTES)
    throw new UsageError(`the description is ${bytes} bytes in UTF-8; at most ${MAX_DESC_BYTES} (a Chinese character is 3)`);
  const type = venueType(spec.type);
  const event = Boolean(spec.event);
  if (!event && (spec.from || spec.until)) throw new UsageError('--from/--until need --event');
  const validFrom = event ? isoToMinutes(spec.from, 'from') : 0;
  const validUntil = event && spec.until ? isoToMinutes(spec.until, 'until') : 0;
  if (event && validUntil && validUntil <= validFrom) throw new UsageError('the event must end after it starts');
  const staff = spec.staff === true || spec.staff === 'yes';
  const defaultMinutes = spec.minutes === undefined || spec.minutes === '' ? (staff ? 480 : 60) : uint(spec.minutes, 'minutes');
  if (defaultMinutes < 1 || defaultMinutes > 1440) throw new UsageError('--minutes must be from 1 to 1440');
  const region = spec.region === undefined || spec.region === '' ? null : uint(spec.region, 'region');
  if (region !== null && !findRegion(BUILD_REGIONS, region))
    throw new UsageError(`--region ${region} is not a region of the list (a prefecture-level GB/T 2260 code such as 310000 or 320500)`);
  const payload = encodeVenuePayload({
    region,
    venueType: type,
    staff,
    event,
    validFrom,
    validUntil,
    defaultMinutes,
    description,
    seed: new Uint8Array(randomBytes(16)),
  });
  const link = venueUrl(host, payload);
  return { link, venue: parseVenueUrl(link) };
}

/**
 * The host venue links point to: --host, PRTC_VENUE_HOST, or `venueHost` in prtc.config.json —
 * never a placeholder (a poster printed with one would open nothing).
 */
function venueHost(given: string | undefined): string {
  let h = given ?? process.env.PRTC_VENUE_HOST;
  const file = join(__dirname, '..', 'prtc.config.json');
  if (!h && existsSync(file)) h = (JSON.parse(readFileSync(file, 'utf8')) as { venueHost?: string }).venueHost;
  if (!h)
    throw new UsageError(
      'give --host: the host your venue links point to (also PRTC_VENUE_HOST or "venueHost" in prtc.config.json; README: WeChat\'s scanner)',
    );
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(h)) throw new UsageError('--host must be a host name such as qr.example.org');
  return h;
}

function posterFormat(file: string): PosterFormat {
  const ext = extname(file).toLowerCase().slice(1);
  if (ext === 'svg' || ext === 'png' || ext === 'pdf') return ext;
  throw new UsageError(`--out must end in .svg, .png or .pdf (got "${basename(file)}")`);
}

/** Writes `bytes` to `file` atomically (a temporary file renamed), with a clear error when it cannot. */
function writeAtomically(file: string, bytes: Buffer | string): void {
  const tmp = join(dirname(resolve(file)), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${file}: ${fsReason(e)}`);
  }
}

/** What a file-system error means, in words. */
function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file is in the way where a folder should be';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'ENOENT') return 'no such folder';
  return code ?? (e as Error).message;
}

/** A file name from a venue name: letters and digits of any script, the rest as "-". */
function slugOf(name: string): string {
  return (
    name
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'venue'
  );
}

function venueJson(link: string, v: Venue) {
  const iso = (m: number) => (m ? new Date(m * 60_000).toISOString() : null);
  return {
    link,
    format: v.format,
    locationId: toHex(v.locationId),
    locationIdHash: toHex(v.locationIdHash),
    description: v.description,
    ...(v.address !== undefined ? { address: v.address } : {}),
    venueType: v.venueType,
    venueTypeName: venueTypeName(v),
    staff: v.staff,
    event: v.event,
    validFrom: iso(v.validFrom),
    validUntil: iso(v.validUntil),
    defaultMinutes: v.defaultMinutes,
    ...(v.region !== null ? { region: v.region } : {}),
  };
}

const PAPERS: Paper[] = ['A4', 'A5', 'A6'];

async function venueCreateFromCsv(o: Record<string, string | boolean | undefined>, host: string): Promise<void> {
  const dir = o.outDir as string | undefined;
  if (!dir) throw new UsageError('--csv needs --out-dir (a new or empty folder for the posters)');
  const format = ((o.format as string) ?? 'svg') as PosterFormat;
  const encoding = ((o.encoding as string) ?? 'auto') as Encoding;
  const target = resolve(dir);
  if (existsSync(target) && (readFileSyncSafe(target) ?? []).length > 0)
    throw new UsageError(`${dir} exists and is not empty: give a new folder`);
  // 1. every row checked (streamed, constant memory) before anything is written
  let count = 0;
  for await (const row of venueRows(o.csv as string, encoding)) {
    try {
      makeVenue({ ...row, event: Boolean(row.from || row.until) }, host);
    } catch (e) {
      throw new UsageError(`line ${row.line}: ${(e as Error).message}`);
    }
    count++;
  }
  // 2. posters into a temporary folder beside the target, renamed into place at the end: nothing half-written
  let tmp: string;
  try {
    mkdirSync(dirname(target), { recursive: true });
    tmp = mkdtempSync(join(dirname(target), `.${basename(target)}-`));
  } catch (e) {
    throw new UsageError(`cannot write to ${dir}: ${fsReason(e)}`);
  }
  try {
    const index: string[][] = [['file', 'link', 'desc', 'type', 'staff', 'minutes', 'from', 'until']];
    let k = 0;
    for await (const row of venueRows(o.csv as string, encoding)) {
      const { link, venue } = makeVenue({ ...row, event: Boolean(row.from || row.until) }, host);
      const file = `${String(++k).padStart(4, '0')}-${slugOf(venue.description)}.${format}`;
      writeFileSync(join(tmp, file), await renderPoster(link, venue, format, { paper: o.paper as Paper, tz: o.tz as string }));
      index.push([
        file,
        link,
        venue.description,
        VENUE_TYPES[venue.venueType],
        venue.staff ? 'yes' : 'no',
        String(venue.defaultMinutes),
        row.from ?? '',
        row.until ?? '',
      ]);
    }
    writeFileSync(join(tmp, 'index.csv'), stringify(index));
    if (existsSync(target)) rmSync(target, { recursive: true });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (e instanceof UsageError || e instanceof PosterError) throw e;
    throw new UsageError(`cannot write to ${dir}: ${fsReason(e)}`);
  }
  if (o.json) json({ folder: dir, posters: count, index: join(dir, 'index.csv') });
  else out(`${count} posters and index.csv in ${dir}`);
}

function readFileSyncSafe(dir: string): string[] | null {
  try {
    return readdirSync(dir);
  } catch {
    throw new UsageError(`${dir} is not a folder`);
  }
}

// ---- the program

function program(): Command {
  const p = cliProgram(
    'prtc',
    VERSION,
    'PrTC codes without a phone, and venue posters',
    '\nExit codes: 0 ok, 1 a negative result (an invalid health code), 2 a usage or input error, 3 something unexpected.\n"-" reads a code, link or file from stdin.',
  );

  p.command('rpi')
    .description('rolling proximity identifiers (and aems) of a key')
    .addOption(
      new Option('--profile <name>', 'prtc, or gaen for the Exposure Notification vectors').choices(['prtc', 'gaen']).default('prtc'),
    )
    .requiredOption('--key <hex>', 'the day key (tek / aemk)')
    .requiredOption('--enin <n>', 'the first interval number')
    .option('--count <k>', 'how many intervals', '1')
    .option('--metadata <hex>', '4 bytes of metadata to encrypt as aem')
    .option('--json', 'JSON output')
    .action((o) => {
      const profile = getProfile(o.profile);
      const key = fromHex(o.key.trim(), profile.diagnosisKeyLength, 'key');
      const start = uint(o.enin, 'enin');
      const count = uint(o.count, 'count');
      if (count < 1 || count > 100000) throw new UsageError('--count must be from 1 to 100000');
      if (start + count - 1 > 0xffffffff) throw new UsageError('--enin + --count runs past uint32');
      const metadata = o.metadata === undefined ? null : fromHex(o.metadata, 4, 'metadata');
      const keys = dayKeys(profile, key);
      const enins = new Uint32Array(count);
      for (let k = 0; k < count; k++) enins[k] = start + k;
      const rpis = deriveRpis(keys, enins);
      const rows = Array.from({ length: count }, (_, k) => {
        const rpi = rpis.subarray(16 * k, 16 * k + 16);
        return { enin: start + k, rpi: toHex(rpi), ...(metadata ? { aem: toHex(cryptAem(keys, rpi, metadata)) } : {}) };
      });
      if (o.json) json(rows);
      else out(rows.map((r) => [r.enin, r.rpi, r.aem].filter((x) => x !== undefined).join(' ')).join('\n'));
    });

  p.command('aemk')
    .description('the aemk of a day from a 32-byte tek')
    .requiredOption('--tek <hex>', '32 bytes')
    .requiredOption('--day <i>', 'the day interval (a multiple of 144)')
    .option('--json', 'JSON output')
    .action((o) => {
      const aemk = toHex(deriveAemk(fromHex(o.tek.trim(), 32, 'tek'), uint(o.day, 'day')));
      if (o.json) json({ aemk });
      else out(aemk);
    });

  p.command('frame')
    .description('encode or decode a BLE frame (JSON in and out)')
    .argument('<direction>', 'encode or decode')
    .argument('[json]', 'the JSON, or - for stdin', '-')
    .option('--json', 'JSON output (always)')
    .action(async (direction: string, text: string) => {
      if (direction !== 'encode' && direction !== 'decode') throw new UsageError('frame needs "encode" or "decode"');
      const o = parseJsonObject(await arg(text, 'the JSON'));
      if (direction === 'encode') {
        const req = encodeFrame(
          str(o, 'frame') as FrameKind,
          fromHex(str(o, 'rpi'), 16, 'rpi'),
          o.aem == null ? null : fromHex(str(o, 'aem'), 4, 'aem'),
          typeof o.marker === 'string' ? o.marker : undefined,
        );
        out(
          JSON.stringify({
            ...req,
            manufacturerData: req.manufacturerData?.map((m) => ({
              manufacturerId: m.manufacturerId,
              manufacturerSpecificData: toHex(new Uint8Array(m.manufacturerSpecificData)),
            })),
          }),
        );
        return;
      }
      const ad = o.advertisData;
      if (ad !== undefined && ad !== null && typeof ad !== 'string') throw new UsageError('"advertisData" must be hex or null');
      const bytes = typeof ad === 'string' ? fromHex(ad, undefined, 'advertisData') : null;
      const decoded = decodeScanResult(
        {
          advertisData: bytes ? bytes.slice().buffer : null,
          advertisServiceUUIDs: Array.isArray(o.advertisServiceUUIDs) ? (o.advertisServiceUUIDs as string[]) : null,
          RSSI: o.RSSI as number,
        },
        typeof o.marker === 'string' ? o.marker : undefined,
      );
      if (!decoded) throw new Negative('not a PrTC advertisement (frame S, M or U)');
      out(JSON.stringify({ frame: decoded.frame, rpi: toHex(decoded.rpi), aem: decoded.aem && toHex(decoded.aem), rssi: decoded.rssi }));
    });

  p.command('diagnosis-keys')
    .description('the keys an upload would carry for a tek (JSON)')
    .requiredOption('--tek <hex>', '32 bytes')
    .option('--days <n>', 'how many days back', '14')
    .option('--now <unix s>', 'the time of the upload')
    .option('--json', 'JSON output (always)')
    .action((o) => {
      const tek = fromHex(o.tek.trim(), 32, 'tek');
      const days = uint(o.days, 'days');
      if (days < 1 || days > 15) throw new UsageError('--days must be from 1 to 15');
      const today = dayInterval(enin(uint(o.now, 'now', Math.floor(Date.now() / 1000))));
      out(
        JSON.stringify(
          Array.from({ length: days }, (_, d) => today - d * ROLLING_PERIOD).map((i) => ({ aemk: toBase64url(deriveAemk(tek, i)), i })),
        ),
      );
    });

  p.command('batch')
    .description('decode a downloaded batch body (JSON)')
    .argument('<file>', 'the body of /v1/batches/<n>, or - for stdin')
    .option('--json', 'JSON output (always)')
    .action(async (file: string) => {
      const body = await fileBytes(file);
      const b = decodeBatch(body);
      json({
        ...(b.region ? { region: b.region } : {}),
        n: b.n,
        hash: toBase64url(batchHash(body)),
        prevHash: toBase64url(b.prevHash),
        createdAt: b.createdAt,
        days: b.days.map((d) => ({ i: d.i, keys: d.keys.map(toBase64url) })),
        // issue 31: source, level, tel and text when the body is "PrTCB003" (absent for a visitor's warning)
        warnings: b.warnings.map((w) => ({ ...w, locationIdHash: toHex(w.locationIdHash) })),
      });
    });

  p.command('venue-create')
    .description("a venue's link and its printable poster (SVG, PNG or PDF); or many from a CSV")
    .option('--desc <text>', 'the venue name shown to visitors (at most 100 bytes of UTF-8)')
    .option('--type <t>', `0..${VENUE_TYPES.length - 1} or: ${VENUE_TYPES.join(', ')}`)
    .option('--staff', 'a staff code (a check-in covers a whole shift)')
    .option('--event', 'an event, with --from and --until')
    .option('--from <iso>', 'event start, e.g. 2026-12-01T18:00+08:00')
    .option('--until <iso>', 'event end')
    .option('--minutes <n>', 'usual length of a visit (default 60; staff 480)')
    .option('--region <code>', "the venue's region (docs/protocol.md §15), e.g. 310000: phones that check in follow it")
    .option('--host <host>', 'the host links point to (or PRTC_VENUE_HOST, or venueHost in prtc.config.json)')
    .option('--out <file>', 'write the poster: .svg, .png or .pdf')
    .addOption(new Option('--paper <size>', 'A4 poster, A5/A6 table tent').choices(PAPERS).default('A4'))
    .option('--tz <zone>', "the venue's time zone for event times (IANA; default this machine's)")
    .option('--csv <file>', 'one venue per row (columns desc,type,staff,minutes,from,until; UTF-8 or GBK), - for stdin')
    .option('--out-dir <dir>', 'with --csv: a new folder for the posters and index.csv')
    .addOption(new Option('--format <f>', 'with --csv: the posters’ format').choices(['svg', 'png', 'pdf']).default('svg'))
    .addOption(new Option('--encoding <e>', 'with --csv').choices(['auto', 'utf8', 'gb18030']).default('auto'))
    .option('--json', 'JSON output')
    .action(async (o) => {
      const host = venueHost(o.host);
      if (o.csv !== undefined) return venueCreateFromCsv(o, host);
      if (o.outDir !== undefined) throw new UsageError('--out-dir goes with --csv');
      const { link, venue } = makeVenue(o, host);
      if (o.out !== undefined) writeAtomically(o.out, await renderPoster(link, venue, posterFormat(o.out), { paper: o.paper, tz: o.tz }));
      if (o.json) json({ ...venueJson(link, venue), ...(o.out ? { poster: o.out } : {}) });
      else out(link);
    });

  p.command('venue')
    .description('decode a PrTC or Corona-Warn-App venue link')
    .argument('<link>', 'the link, or - for stdin')
    .option('--json', 'JSON output')
    .action(async (text: string, o) => {
      const link = await arg(text, 'the link');
      const v = venueJson(link, parseVenueUrl(link));
      if (o.json) json(v);
      else
        out(
          [
            `${v.description} (${v.venueTypeName ?? v.venueType}${v.staff ? ', staff' : ''}${v.event ? `, event ${v.validFrom ?? '…'} – ${v.validUntil ?? '…'}` : ''})`,
            `format ${v.format}, visit ${v.defaultMinutes} min`,
            `locationIdHash ${v.locationIdHash}`,
          ].join('\n'),
        );
    });

  p.command('gate')
    .description('verify a health code as a venue gate does (exit 1 if it is not valid)')
    .argument('<code>', 'the scanned text, or - for stdin')
    .requiredOption('--public-key <base64url>', "the server's Ed25519 key (/v1/public-key)")
    .option('--now <unix s>', 'the gate time')
    .option('--json', 'JSON output')
    .action(async (text: string, o) => {
      const key = fromBase64url(o.publicKey.trim(), 32, 'public-key');
      const r = verifyHealthCode(await arg(text, 'the health code'), key, uint(o.now, 'now', Math.floor(Date.now() / 1000)));
      if (o.json) json(r);
      else {
        const member = r.member ? ` (family member ${r.member.index} of ${r.member.count} on this phone)` : '';
        out(r.valid ? `valid: ${r.status}${member}` : `not valid: ${r.reasons.map((x) => x.message).join('; ')}`);
      }
      if (!r.valid) throw new Negative('');
    });

  return p;
}

async function main(argv: string[]): Promise<number> {
  const p = program();
  p.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  return runProgram('prtc', p, argv, [PosterError]);
}

if (/tools[\\/]prtc\.ts$/.test(process.argv[1] ?? '')) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
