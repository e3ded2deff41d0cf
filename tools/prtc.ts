/**
 * `npm run --silent prtc -- <command>`: look at PrTC codes without a phone.
 *   rpi   --profile <prtc|gaen> --key <hex> --enin <n> [--count <k>] [--metadata <hex>]
 *   aemk  --tek <64 hex> --day <i>
 *   frame encode|decode [json]   (JSON on the argument or stdin; JSON out)
 *   diagnosis-keys --tek <64 hex> [--days <n>] [--now <unix s>]   the keys an upload would carry
 *   batch <file>   decode a downloaded batch body
 */
import { readFileSync } from 'node:fs';
import { fromHex, toBase64url, toHex } from '../shared/codec';
import { batchHash, decodeBatch } from '../shared/batch';
import { dayInterval, enin, ROLLING_PERIOD } from '../shared/time';
import { cryptAem, dayKeys, deriveAemk, deriveRpis, getProfile } from '../shared/crypto';
import { decodeScanResult, encodeFrame, type FrameKind } from '../shared/ble';
import { PrtcError } from '../shared/errors';
import { parse, readStdin, required, runCli, uint, UsageError } from './cli-util';

const USAGE = `usage: prtc <command>
  rpi   --profile <prtc|gaen> --key <hex> --enin <n> [--count <k>] [--metadata <hex>]
  aemk  --tek <64 hex> --day <i>
  frame encode|decode [json]
  diagnosis-keys --tek <64 hex> [--days <n>] [--now <unix s>]
  batch <file>`;

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
  const keys = Array.from({ length: days }, (_, d) => today - d * ROLLING_PERIOD).map((i) => ({ aemk: toBase64url(deriveAemk(tek, i)), i }));
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
  out(JSON.stringify({
    n: b.n, hash: toBase64url(batchHash(body)), prevHash: toBase64url(b.prevHash), createdAt: b.createdAt,
    days: b.days.map((d) => ({ i: d.i, keys: d.keys.map(toBase64url) })),
    warnings: b.warnings.map((w) => ({ locationIdHash: toHex(w.locationIdHash), startEnin: w.startEnin, endEnin: w.endEnin })),
  }, null, 1));
}

export const COMMANDS: Record<string, Command> = {
  rpi: cmdRpi, aemk: cmdAemk, frame: cmdFrame, 'diagnosis-keys': cmdDiagnosisKeys, batch: cmdBatch,
};

runCli('prtc', async (argv) => {
  const [name, ...rest] = argv;
  const cmd = name === undefined ? undefined : COMMANDS[name];
  if (!cmd) throw new UsageError(name ? `unknown command "${name}"\n${USAGE}`.split('\n')[0] : USAGE.split('\n')[0] + ' (commands: ' + Object.keys(COMMANDS).join(', ') + ')');
  await cmd(rest);
});
