/**
 * Moving to a new phone (§17): how many QR frames, and how many bytes, 14 days of a phone's data
 * make. Three phones: the matching bench's busy user (3,000 encounters over 14 days), a commuter
 * (1,000 a day) and a phone whose encounter log is as full as WeChat's 10 MB allow. Records are laid
 * out as the encounter log keeps them (random rpi and aem, as on air); each day has five check-ins.
 * Prints the snapshot's JSON size, after raw DEFLATE, sealed, the frames, and the time to make them
 * (scrypt included) and to open them; the time on screen is frames × the page's 2.5 s a frame.
 */
import { randomBytes } from 'node:crypto';
import { toBase64url } from '../shared/protocol/codec';
import { CHUNK_BYTES, openTransfer, parseFrame, sealTransfer, transferKeys } from '../shared/protocol/transfer';
import { RECORD_BYTES } from '../shared/protocol/record';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from '../miniprogram/services/transfer';

const DAY_S = 86400;
const FRAME_SECONDS = 2.5;

/** One day's log: `n` records with random rpi and aem, real-looking times and signal strengths. */
function dayLog(day: number, n: number): string {
  const b = new Uint8Array(n * RECORD_BYTES);
  const rnd = randomBytes(n * 20);
  for (let r = 0; r < n; r++) {
    const o = r * RECORD_BYTES;
    b.set(rnd.subarray(r * 20, r * 20 + 20), o); // rpi (16) and aem (4)
    const enin = day * 144 + ((r * 7) % 144);
    b[o + 20] = enin & 255;
    b[o + 21] = (enin >>> 8) & 255;
    b[o + 22] = (enin >>> 16) & 255;
    b[o + 23] = enin >>> 24;
    b[o + 24] = r % 3; // span
    b[o + 25] = 1; // aem present
    b[o + 26] = 256 - (50 + (r % 40)); // rssi max
    b[o + 27] = 256 - (60 + (r % 30)); // rssi mean
    b[o + 28] = 1 + (r % 15); // minutes
    b[o + 30] = r % 60;
  }
  return toBase64url(b);
}

function phone(perDay: number): Snapshot {
  const today = Math.floor(1_795_000_000 / DAY_S);
  const entries: Record<string, string> = {
    tek: JSON.stringify({ tek: randomBytes(32).toString('hex'), createdAt: (today - 13) * DAY_S }),
  };
  const checkins: unknown[] = [];
  for (let d = 0; d < 14; d++) {
    const day = today - d;
    entries[`enc.${day * 144}`] = dayLog(day, perDay);
    for (let c = 0; c < 5; c++) {
      const at = day * DAY_S + 8 * 3600 + c * 7200;
      checkins.push({
        id: `${at}-${randomBytes(4).toString('hex')}`,
        locationId: randomBytes(32).toString('hex'),
        description: `Venue ${c}`,
        format: 'prtc',
        staff: false,
        checkInAt: at,
        checkOutAt: at + 3600,
        checkedOut: true,
        region: null,
      });
    }
  }
  entries.checkins = JSON.stringify(checkins);
  return { v: 1, entries };
}

export interface TransferBench {
  name: string;
  encounters: number;
  jsonBytes: number;
  deflatedBytes: number;
  frames: number;
  sealMs: number;
  openMs: number;
}

export function runTransferBench(log = console.log): TransferBench[] {
  // a full log: 10 MB of storage, less what else the phone keeps, over 14 days of 32-byte records in base64
  const fullPerDay = Math.floor((((9.5 * 1024 * 1024) / 14) * 3) / 4 / RECORD_BYTES);
  const phones = [
    { name: 'busy (3,000 over 14 days)', perDay: Math.round(3000 / 14) },
    { name: 'commuter (1,000 a day)', perDay: 1000 },
    { name: 'full log (10 MB)', perDay: fullPerDay },
  ];
  const rows: TransferBench[] = [];
  log(`moving to a new phone: frames of ${CHUNK_BYTES} bytes (QR version 21, level M), one every ${FRAME_SECONDS} s on screen`);
  for (const p of phones) {
    const snap = phone(p.perDay);
    const json = JSON.stringify(snap).length;
    const t0 = performance.now();
    const id = randomBytes(8);
    const keys = transferKeys('7K3M9QXW2D', id);
    const plain = encodeSnapshot(snap);
    const frames = sealTransfer(keys, id, 1_795_000_000, randomBytes(12), plain);
    const t1 = performance.now();
    const back = decodeSnapshot(openTransfer(keys, frames.map(parseFrame)));
    const t2 = performance.now();
    if (!back || Object.keys(back.entries).length !== Object.keys(snap.entries).length) throw new Error('the snapshot did not come back');
    const row = {
      name: p.name,
      encounters: p.perDay * 14,
      jsonBytes: json,
      deflatedBytes: plain.length,
      frames: frames.length,
      sealMs: Math.round(t1 - t0),
      openMs: Math.round(t2 - t1),
    };
    rows.push(row);
    const minutes = (frames.length * FRAME_SECONDS) / 60;
    log(
      `  ${row.name.padEnd(28)} ${String(row.encounters).padStart(7)} encounters  JSON ${(json / 1024).toFixed(0).padStart(6)} KB` +
        `  deflated ${(plain.length / 1024).toFixed(0).padStart(6)} KB (${((100 * plain.length) / json).toFixed(0)} %)` +
        `  ${String(frames.length).padStart(6)} frames (${minutes.toFixed(1)} min on screen)  seal ${row.sealMs} ms, open ${row.openMs} ms`,
    );
  }
  return rows;
}
