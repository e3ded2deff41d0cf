/**
 * `npm run demo [-- --phones <n>] [--days <d>] [--seed <text>]`: the whole story in one command.
 * A real server on a temporary embedded database; simulated phones running the real device
 * services over one simulated radio and the real HTTP API. Phones meet, one checks in at a café,
 * one tests positive, gets a code from the health authority, uploads, the server publishes, every
 * phone syncs, verifies and computes its own status. Ends with each phone's colour and reasons.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SimWorld } from '../testkit/world';
import { reasonText, statusWord } from '../miniprogram/ui/format';
import { startServer } from '../server/runtime';
import { encodeVenuePayload, venueUrl } from '../shared/protocol/venue';
import type { Status } from '../shared/risk/status';
import { checkInAt, makePhone, startPhones, type Phone } from '../testkit/phones';

const tty = process.stdout.isTTY;
const paint = (s: Status, text: string) =>
  tty ? `\x1b[${s === 'red' ? '41;97' : s === 'yellow' ? '43;30' : '42;30'}m ${text} \x1b[0m` : `[${text}]`;
const say = (s = '') => process.stdout.write(s + '\n');

function usage(msg: string): never {
  process.stderr.write(`demo: ${msg}\nusage: npm run demo -- [--phones <6..50>] [--days <1..13>] [--seed <text>]\n`);
  process.exit(2);
}

/** A deterministic byte stream from the seed (SHA-256 in counter mode): same seed, same run. */
function seeded(seed: string, label: string): (n: number) => Uint8Array {
  let counter = 0;
  let pool = new Uint8Array(0);
  return (n) => {
    const out = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      if (pool.length === 0) pool = new Uint8Array(createHash('sha256').update(`${seed}/${label}/${counter++}`).digest());
      out[k] = pool[0];
      pool = pool.subarray(1);
    }
    return out;
  };
}

function progress(label: string, done: number, total: number): void {
  if (!tty) {
    if (done === total) say(`  ${label}: done`);
    return;
  }
  const width = 30;
  const filled = Math.round((width * done) / Math.max(1, total));
  process.stdout.write(`\r  ${label.padEnd(34)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stdout.write('\n');
}

async function main() {
  let opts;
  try {
    opts = parseArgs({ options: { phones: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' } }, strict: true }).values;
  } catch (e) {
    usage((e as Error).message);
  }
  const phones = Number(opts.phones ?? 8);
  const days = Number(opts.days ?? 3);
  if (!Number.isInteger(phones) || phones < 6 || phones > 50) usage('--phones must be 6 to 50 (six play the story, the rest wander about)');
  if (!Number.isInteger(days) || days < 1 || days > 13) usage('--days must be 1 to 13');
  const seed = opts.seed ?? createHash('sha256').update(String(Date.now())).digest('hex').slice(0, 8);
  const rand = seeded(seed, 'world');
  const pick = (n: number) => rand(1)[0] % n;

  const start = Date.UTC(2026, 10, 23 - days, 7, 0, 0);
  const world = new SimWorld(start);
  const dir = mkdtempSync(join(tmpdir(), 'prtc-demo-'));
  const server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      databaseUrl: `sqlite:${join(dir, 'demo.sqlite')}`,
      batchIntervalS: 0,
      minBatchKeys: 0,
      accessLog: false,
    },
    { clock: { now: () => Math.floor(world.timeMs / 1000) }, log: null, env: {} },
  );
  try {
    say(`PrTC demo — seed ${seed} (repeat this run with --seed ${seed}), ${phones} phones, ${days} day(s) before the diagnosis`);
    say(`server: ${server.url} on a temporary SQLite database in ${dir}`);
    const authorityToken = await server.services.authority.createToken('demo-clinic');
    say('health authority: a token for "demo-clinic" was created (npm run admin -- create-token <name> does this for real)');

    const cast: Record<string, string> = {
      Alice: 'will test positive',
      Bob: 'sits next to Alice for 30 minutes',
      Chen: '8 m from Alice for 20 minutes',
      Dana: '25 m away in the same hall',
      Emil: 'never meets anyone',
      Fang: 'at the café with Alice for 40 minutes',
    };
    const names = [...Object.keys(cast)];
    if (phones >= 7) {
      names.push('Gus');
      cast.Gus = 'at the café 10 minutes while Alice was still there';
    }
    for (let k = names.length; k < phones; k++) {
      const n = `P${k + 1}`;
      names.push(n);
      cast[n] = 'wanders about';
    }
    const all: Phone[] = names.map((name, k) =>
      makePhone(world, name, server.url, {
        platform: k % 3 === 1 ? 'ios' : 'android',
        position: { x: 1000 + 100 * k, y: 1000 },
        random: seeded(seed, name),
      }),
    );
    const by = Object.fromEntries(all.map((p) => [p.name, p]));
    await startPhones(all);
    say(`phones: ${all.map((p) => `${p.name} (${p.sim.platform})`).join(', ')}; each made its own secret key on first launch`);
    for (const n of names) say(`  ${n.padEnd(5)} ${cast[n]}`);

    const minutes = async (label: string, n: number, each?: (m: number) => void) => {
      for (let m = 0; m < n; m++) {
        each?.(m);
        world.advance(60_000);
        for (const p of all) await p.device.tick();
        world.deliver();
        progress(label, m + 1, n);
      }
    };
    const wanderers = all.filter((p) => p.name.startsWith('P'));
    const scatter = () =>
      wanderers.forEach((p) => {
        p.sim.position = { x: pick(60), y: pick(60) };
      });

    // ordinary days: people wander, some meet by chance
    for (let d = 0; d < days - 1; d++) {
      say(`day ${d + 1} (${new Date(world.timeMs).toISOString().slice(0, 10)}): an ordinary day`);
      world.advance(2 * 3600_000);
      scatter();
      await minutes('wanderers cross paths', 20, () => {
        if (pick(4) === 0) scatter();
      });
      world.advance(Date.UTC(2026, 10, 23 - days + d + 1, 7, 0) - world.timeMs);
    }

    const exposureDay = new Date(world.timeMs).toISOString().slice(0, 10);
    say(`day ${days} (${exposureDay}): the day that matters`);
    world.advance(2 * 3600_000); // 09:00
    const place = (name: string, x: number, y: number) => {
      if (by[name]) by[name].sim.position = { x, y };
    };
    place('Alice', 0, 0);
    place('Bob', 1, 0);
    place('Chen', 0, 8);
    place('Dana', 25, 0);
    place('Emil', 5000, 5000);
    place('Fang', 2000, 0);
    place('Gus', 3000, 0);
    scatter();
    await minutes('09:00 meeting room', 30, (m) => {
      if (m === 20) place('Chen', 400, 0);
    });

    // 12:00 the café (a venue code made by its owner with `npm run prtc -- venue-create`)
    const cafe = venueUrl(
      'prtc.example.org',
      encodeVenuePayload({
        venueType: 2,
        staff: false,
        event: false,
        validFrom: 0,
        validUntil: 0,
        defaultMinutes: 60,
        description: 'Café Lumière',
        seed: rand(16),
      }),
    );
    say(`  12:00 Café Lumière's poster code: ${cafe}`);
    for (const p of all) p.sim.position = { x: 1000 + pick(100) * 50, y: 1000 }; // spread out: the café is about the venue code
    world.advance(Date.UTC(2026, 10, 23 - 1, 12, 0) - world.timeMs);
    const checkIn = async (name: string, stay: number) => {
      const p = by[name];
      if (!p) return null;
      const c = await checkInAt(p, cafe, stay);
      say(`  ${new Date(world.timeMs).toISOString().slice(11, 16)} ${name} scans the café's code and checks in for ${stay} minutes`);
      return c;
    };
    await checkIn('Alice', 60);
    world.advance(20 * 60_000);
    const fang = await checkIn('Fang', 120);
    world.advance(40 * 60_000);
    by.Fang.device.checkOut(fang!.id);
    say('  13:00 Fang checks out by hand; Alice is checked out automatically at the end of her hour');
    world.advance(20 * 60_000);
    await checkIn('Gus', 30);

    // next morning: Alice tests positive
    world.advance(Date.UTC(2026, 10, 23, 10, 0) - world.timeMs);
    say(`day ${days + 1} (${new Date(world.timeMs).toISOString().slice(0, 10)}) 10:00: Alice tests positive`);
    const r = await fetch(`${server.url}/v1/authority/codes`, { method: 'POST', headers: { authorization: `Bearer ${authorityToken}` } });
    const { code } = (await r.json()) as { code: string };
    say(`  the clinic issues a one-time upload code over the API: ${code}`);
    const up = await by.Alice.device.upload(code, [], true);
    if (!up.ok) throw new Error(`Alice's upload failed: ${up.text}`);
    say(`  Alice's phone: "${up.text}" (check-ins went too, as hashes padded with fakes)`);
    const again = await by.Bob.device.upload(code, [], false);
    say(`  someone tries the same code again: "${again.text}"`);
    const published = await server.services.publishing.publish();
    say(
      `  the server publishes signed batch ${published.join(', ')} (it stores keys, hashes and counts: no names, numbers, places or addresses)`,
    );

    say('every phone downloads the batches, verifies the signatures and matches on the phone:');
    for (let k = 0; k < all.length; k++) {
      if (!(await all[k].device.runSync()).ok) throw new Error(`${all[k].name} could not sync: ${all[k].device.view.message?.text}`);
      progress('syncing and matching', k + 1, all.length);
    }

    say('');
    say('result (computed on each phone; the server never sees a status):');
    for (const p of all) {
      const v = p.device.view;
      say(
        `  ${p.name.padEnd(5)} ${paint(v.status, statusWord('en', v.status).padEnd(6))}  ${v.reasons.length ? v.reasons.map((x) => reasonText('en', x)).join(' ') : 'No exposure found.'}`,
      );
    }
    const expected: Record<string, Status> = {
      Alice: 'red',
      Bob: 'red',
      Chen: 'yellow',
      Dana: 'green',
      Emil: 'green',
      Fang: 'red',
      Gus: 'yellow',
    };
    const wrong = Object.entries(expected).filter(([n, s]) => by[n] && by[n].device.view.status !== s);
    const colours = new Set(all.map((p) => p.device.view.status));
    if (wrong.length || colours.size < 3) {
      throw new Error(`unexpected result: ${wrong.map(([n, s]) => `${n} should be ${s}`).join(', ') || 'not all three colours appeared'}`);
    }
    say('');
    say("red, yellow and green, each for its reason. Bob's phone now shows this health code; a gate checks it offline with:");
    const key = ((await (await fetch(`${server.url}/v1/public-key`)).json()) as { key: string }).key;
    say(`  npm run --silent prtc -- gate '${by.Bob.device.healthCode()}' --public-key ${key} --now ${Math.floor(world.timeMs / 1000)}`);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`\ndemo: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
