/**
 * `npm run --silent prtc -- <command>`: look at PrTC codes without a phone.
 *   rpi   --profile <prtc|gaen> --key <hex> --enin <n> [--count <k>] [--metadata <hex>]
 *   aemk  --tek <64 hex> --day <i>
 *   frame encode|decode [json]   (JSON on the argument or stdin; JSON out)
 *   diagnosis-keys --tek <64 hex> [--days <n>] [--now <unix s>]   the keys an upload would carry
 *   batch <file>   decode a downloaded batch body
 *   venue-create --desc <text> --type <n|name> [--staff] [--event --from <iso> --until <iso>] [--minutes <n>]
 *                [--host <host>] [--out poster.svg]      a venue's deep link (and its printable poster)
 *   venue-create --csv <file> --out-dir <dir> [--host <host>]   one poster per CSV row
 *   venue <url>   decode a PrTC or Corona-Warn-App venue link
 *   gate <health code> --public-key <base64url> [--now <unix s>]   verify a health code as a gate does
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64url, fromHex, toBase64url, toHex } from '../shared/protocol/codec';
import { verifyHealthCode } from '../shared/protocol/healthcode';
import { encodeVenuePayload, parseVenueUrl, venueTypeName, venueUrl, VENUE_TYPES, type Venue } from '../shared/protocol/venue';
import { parseCsv } from './csv';
import { posterSvg } from './poster';
import { batchHash, decodeBatch } from '../shared/protocol/batch';
import { dayInterval, enin, ROLLING_PERIOD } from '../shared/protocol/time';
import { cryptAem, dayKeys, deriveAemk, deriveRpis, getProfile } from '../shared/protocol/crypto';
import { decodeScanResult, encodeFrame, type FrameKind } from '../shared/protocol/ble';
import { PrtcError } from '../shared/errors';
import { parse, readStdin, required, runCli, uint, UsageError } from '../server/cli';

const USAGE = `usage: prtc <command>
  rpi   --profile <prtc|gaen> --key <hex> --enin <n> [--count <k>] [--metadata <hex>]
  aemk  --tek <64 hex> --day <i>
  frame encode|decode [json]
  diagnosis-keys --tek <64 hex> [--days <n>] [--now <unix s>]
  batch <file>
  venue-create --desc <text> --type <n|name> [--staff] [--event --from <iso> --until <iso>] [--minutes <n>] [--host <host>] [--out poster.svg]
  venue-create --csv <file> --out-dir <dir> [--host <host>]
  venue <url>
  gate <health code> --public-key <base64url> [--now <unix s>]`;

/** Where venue links point when no --host is given (PRTC_VENUE_HOST overrides); see docs/protocol.md. */
const DEFAULT_VENUE_HOST = process.env.PRTC_VENUE_HOST || 'prtc.example.org';

type Command = (args: string[]) => Promise<void> | void;

const out = (s: string) => process.stdout.write(s + '\n');

function cmdRpi(args: string[]): void {
  const { values } = parse(args, {
    profile: { type: 'string' },
    key: { type: 'string' },
    enin: { type: 'string' },
    count: { type: 'string' },
    metadata: { type: 'string' },
  });
  const profile = getProfile(values.profile ?? 'prtc');
  const key = fromHex(required(values.key, 'key'), profile.diagnosisKeyLength, 'key');
  const start = uint(values.enin, 'enin');
  const count = uint(values.count, 'count', 1);
  if (count < 1 || count > 100000) throw new UsageError('--count must be from 1 to 100000');
  if (start + count - 1 > 0xffffffff) throw new UsageError('--enin + --count runs past uint32');
  const metadata = values.metadata === undefined ? null : fromHex(values.metadata, 4, 'metadata');
  const keys = dayKeys(profile, key);
  const enins = new Uint32Array(count);
  for (let k = 0; k < count; k++) enins[k] = start + k;
  const rpis = deriveRpis(keys, enins);
  const lines: string[] = [];
  for (let k = 0; k < count; k++) {
    const rpi = rpis.subarray(16 * k, 16 * k + 16);
    let line = `${start + k} ${toHex(rpi)}`;
    if (metadata) line += ` ${toHex(cryptAem(keys, rpi, metadata))}`;
    lines.push(line);
  }
  out(lines.join('\n'));
}

function cmdAemk(args: string[]): void {
  const { values } = parse(args, { tek: { type: 'string' }, day: { type: 'string' } });
  const tek = fromHex(required(values.tek, 'tek'), 32, 'tek');
  out(toHex(deriveAemk(tek, uint(values.day, 'day'))));
}

function parseJson(text: string): Record<string, unknown> {
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

async function cmdFrame(args: string[]): Promise<void> {
  const [sub, json] = args;
  if (sub !== 'encode' && sub !== 'decode') throw new UsageError('frame needs "encode" or "decode"');
  const o = parseJson(json ?? (await readStdin()));
  if (sub === 'encode') {
    const kind = str(o, 'frame') as FrameKind;
    const rpi = fromHex(str(o, 'rpi'), 16, 'rpi');
    const aem = o.aem === undefined || o.aem === null ? null : fromHex(str(o, 'aem'), 4, 'aem');
    const req = encodeFrame(kind, rpi, aem, typeof o.marker === 'string' ? o.marker : undefined);
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
  if (!decoded) throw new PrtcError('not_a_frame', 'not a PrTC advertisement (frame M or U)');
  out(JSON.stringify({ frame: decoded.frame, rpi: toHex(decoded.rpi), aem: decoded.aem && toHex(decoded.aem), rssi: decoded.rssi }));
}

/** The diagnosis keys a phone with this tek would upload for its last `days` days, as upload JSON. */
function cmdDiagnosisKeys(args: string[]): void {
  const { values } = parse(args, { tek: { type: 'string' }, days: { type: 'string' }, now: { type: 'string' } });
  const tek = fromHex(required(values.tek, 'tek'), 32, 'tek');
  const days = uint(values.days, 'days', 14);
  if (days < 1 || days > 15) throw new UsageError('--days must be from 1 to 15');
  const today = dayInterval(enin(uint(values.now, 'now', Math.floor(Date.now() / 1000))));
  const keys = Array.from({ length: days }, (_, d) => today - d * ROLLING_PERIOD).map((i) => ({
    aemk: toBase64url(deriveAemk(tek, i)),
    i,
  }));
  out(JSON.stringify(keys));
}

/** Decodes a downloaded batch body (§9) and prints it as JSON with its hash. */
function cmdBatch(args: string[]): void {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError('batch needs one file: the body of /v1/batches/<n>');
  let body: Uint8Array;
  try {
    body = new Uint8Array(readFileSync(positionals[0]));
  } catch {
    throw new UsageError(`cannot read ${positionals[0]}`);
  }
  const b = decodeBatch(body);
  out(
    JSON.stringify(
      {
        n: b.n,
        hash: toBase64url(batchHash(body)),
        prevHash: toBase64url(b.prevHash),
        createdAt: b.createdAt,
        days: b.days.map((d) => ({ i: d.i, keys: d.keys.map(toBase64url) })),
        warnings: b.warnings.map((w) => ({ locationIdHash: toHex(w.locationIdHash), startEnin: w.startEnin, endEnin: w.endEnin })),
      },
      null,
      1,
    ),
  );
}

interface VenueSpec {
  desc?: string;
  type?: string;
  staff?: boolean;
  event?: boolean;
  from?: string;
  until?: string;
  minutes?: string;
}

function isoToMinutes(v: string | undefined, name: string): number {
  if (v === undefined || v === '') throw new UsageError(`an event needs --${name} (an ISO date and time, e.g. 2026-12-01T18:00Z)`);
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

/** Builds one venue's payload from command-line or CSV values; a fresh random seed makes every venue distinct. */
function makeVenue(spec: VenueSpec, host: string): { link: string; venue: Venue } {
  const description = (spec.desc ?? '').trim();
  if (!description) throw new UsageError('missing --desc (the venue description shown to visitors)');
  const type = venueType(spec.type);
  const event = Boolean(spec.event);
  if (!event && (spec.from || spec.until)) throw new UsageError('--from/--until need --event');
  const validFrom = event ? isoToMinutes(spec.from, 'from') : 0;
  const validUntil = event ? isoToMinutes(spec.until, 'until') : 0;
  const staff = Boolean(spec.staff);
  const defaultMinutes = spec.minutes === undefined || spec.minutes === '' ? (staff ? 480 : 60) : uint(spec.minutes, 'minutes');
  if (defaultMinutes < 1 || defaultMinutes > 1440) throw new UsageError('--minutes must be from 1 to 1440');
  const payload = encodeVenuePayload({
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

function checkHost(h: string): string {
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(h)) throw new UsageError('--host must be a host name such as qr.example.org');
  return h;
}

function cmdVenueCreate(args: string[]): void {
  const { values } = parse(args, {
    desc: { type: 'string' },
    type: { type: 'string' },
    staff: { type: 'boolean' },
    event: { type: 'boolean' },
    from: { type: 'string' },
    until: { type: 'string' },
    minutes: { type: 'string' },
    host: { type: 'string' },
    out: { type: 'string' },
    csv: { type: 'string' },
    'out-dir': { type: 'string' },
  });
  const host = checkHost(values.host ?? DEFAULT_VENUE_HOST);
  if (values.csv !== undefined) {
    const dir = required(values['out-dir'], 'out-dir');
    let text: string;
    try {
      text = readFileSync(values.csv, 'utf8');
    } catch {
      throw new UsageError(`cannot read ${values.csv}`);
    }
    const rows = parseCsv(text);
    const [head, ...body] = rows;
    const cols = (head ?? []).map((h) => h.trim().toLowerCase());
    const known = ['desc', 'type', 'staff', 'minutes', 'from', 'until'];
    if (!cols.includes('desc') || !cols.includes('type'))
      throw new UsageError(`the CSV needs a header row with at least desc,type (columns: ${known.join(',')})`);
    const unknown = cols.filter((c) => !known.includes(c));
    if (unknown.length) throw new UsageError(`unknown CSV column "${unknown[0]}" (columns: ${known.join(',')})`);
    if (body.length === 0) throw new UsageError('the CSV has no venue rows');
    // validate every row before writing anything, so a bad row leaves no half-made folder
    const made = body.map((row, k) => {
      const get = (c: string) => {
        const i = cols.indexOf(c);
        return i >= 0 ? (row[i] ?? '').trim() : undefined;
      };
      const flag = (c: string) => /^(1|yes|true|y)$/i.test(get(c) ?? '');
      try {
        const from = get('from');
        const until = get('until');
        return makeVenue(
          {
            desc: get('desc'),
            type: get('type'),
            staff: flag('staff'),
            event: Boolean(from || until),
            from,
            until,
            minutes: get('minutes'),
          },
          host,
        );
      } catch (e) {
        throw new UsageError(`row ${k + 2}: ${(e as Error).message}`);
      }
    });
    mkdirSync(dir, { recursive: true });
    const index = ['file,link'];
    made.forEach(({ link, venue }, k) => {
      const slug =
        venue.description
          .toLowerCase()
          .normalize('NFKD')
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')
          .slice(0, 40) || 'venue';
      const file = `${String(k + 1).padStart(3, '0')}-${slug}.svg`;
      writeFileSync(join(dir, file), posterSvg(link, venue));
      index.push(`${file},${link}`);
      out(`${file} ${link}`);
    });
    writeFileSync(join(dir, 'venues.csv'), index.join('\n') + '\n');
    return;
  }
  if (values['out-dir'] !== undefined) throw new UsageError('--out-dir goes with --csv');
  const { link, venue } = makeVenue(values, host);
  if (values.out !== undefined) {
    if (!/\.svg$/i.test(values.out)) throw new UsageError('--out must name an .svg file (posters are SVG: they print sharply at any size)');
    try {
      writeFileSync(values.out, posterSvg(link, venue));
    } catch {
      throw new UsageError(`cannot write ${values.out}`);
    }
  }
  out(link);
}

const minutesIso = (m: number) => (m ? new Date(m * 60_000).toISOString() : null);

function cmdVenue(args: string[]): void {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError('venue needs one link: prtc venue <url>');
  const v = parseVenueUrl(positionals[0]);
  out(
    JSON.stringify(
      {
        format: v.format,
        locationId: toHex(v.locationId),
        locationIdHash: toHex(v.locationIdHash),
        description: v.description,
        ...(v.address !== undefined ? { address: v.address } : {}),
        venueType: v.venueType,
        venueTypeName: venueTypeName(v),
        staff: v.staff,
        event: v.event,
        validFrom: minutesIso(v.validFrom),
        validUntil: minutesIso(v.validUntil),
        defaultMinutes: v.defaultMinutes,
      },
      null,
      1,
    ),
  );
}

/** Verifies a health code exactly as pages/gate does. Exit 0 when the verification ran (see `valid`). */
function cmdGate(args: string[]): void {
  const { values, positionals } = parse(args, { 'public-key': { type: 'string' }, now: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('gate needs one health code: prtc gate <code> --public-key <base64url>');
  const key = fromBase64url(required(values['public-key'], 'public-key'), 32, 'public-key');
  const now = uint(values.now, 'now', Math.floor(Date.now() / 1000));
  out(JSON.stringify(verifyHealthCode(positionals[0], key, now)));
}

export const COMMANDS: Record<string, Command> = {
  rpi: cmdRpi,
  aemk: cmdAemk,
  frame: cmdFrame,
  'diagnosis-keys': cmdDiagnosisKeys,
  batch: cmdBatch,
  'venue-create': cmdVenueCreate,
  venue: cmdVenue,
  gate: cmdGate,
};

runCli('prtc', async (argv) => {
  const [name, ...rest] = argv;
  const cmd = name === undefined ? undefined : COMMANDS[name];
  if (!cmd)
    throw new UsageError(
      name
        ? `unknown command "${name}"\n${USAGE}`.split('\n')[0]
        : USAGE.split('\n')[0] + ' (commands: ' + Object.keys(COMMANDS).join(', ') + ')',
    );
  await cmd(rest);
});
