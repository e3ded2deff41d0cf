/**
 * The test vectors of docs/protocol.md §14, read from the document itself: every value must be
 * reproduced twice — by Node's own crypto from the byte layouts (so a mistyped vector fails, whatever
 * the project's code says) and by shared/protocol (so the code agrees with the document).
 *
 * A block is ```vector <name>``` with `field = value` lines; a line starting with spaces continues
 * the previous value, and ` # ` starts a comment (docs/protocol.md §14 says so to its readers).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  scryptSync,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { decodeBatch, encodeBatch, batchHash, verifyBatch, verifyBody, ZERO_HASH, type BatchContent } from '../../shared/protocol/batch';
import { decodeScanResult, encodeFrame, MANUFACTURER_ID } from '../../shared/protocol/ble';
import { fromBase64url, toBase64url, toHex } from '../../shared/protocol/codec';
import {
  cryptAem,
  dayKeys,
  decodeMetadata,
  deriveAemk,
  deriveRpi,
  encodeMetadata,
  paddedData,
  PROFILES,
} from '../../shared/protocol/crypto';
import { decodeHealthCode, encodeHealthCode, STATUS_FROM_CODE, verifyHealthCode } from '../../shared/protocol/healthcode';
import { configMessage, headMessage, publicKeyOf, sign, verify } from '../../shared/protocol/signing';
import { dayInterval, enin, retentionStart } from '../../shared/protocol/time';
import { encodeVenuePayload, parseVenueUrl, venueUrl } from '../../shared/protocol/venue';
import { DEFAULT_RISK_CONFIG, parseRiskConfig } from '../../shared/risk/config';
import {
  leafHash,
  merkleProof,
  merkleRoot,
  nodeHash,
  rootFromProof,
  rootMessage,
  verifyLeaf,
  verifyRoot,
} from '../../shared/protocol/root';
import { configV1Json, configV2Json, parseRiskConfigV2 } from '../../shared/risk/config-v2';
import {
  checkConfirmation,
  checkFrame,
  confirmationText,
  openTransfer,
  parseFrame,
  sealTransfer,
  transferKeys,
} from '../../shared/protocol/transfer';
import { decodeSnapshot } from '../../miniprogram/services/transfer';

const DOC = join(__dirname, '../../docs/protocol.md');

/** One vector's fields; reading a field marks it, so a field no test looks at is noticed. */
class Vector {
  private read = new Set<string>();
  constructor(
    readonly name: string,
    private fields: Map<string, string>,
  ) {}
  has(key: string): boolean {
    return this.fields.has(key);
  }
  raw(key: string): string {
    const v = this.fields.get(key);
    if (v === undefined) throw new Error(`vector ${this.name}: no field "${key}"`);
    this.read.add(key);
    return v;
  }
  text(key: string): string {
    return this.raw(key);
  }
  hex(key: string): Buffer {
    const v = this.raw(key);
    if (!/^([0-9a-f]{2})*$/.test(v)) throw new Error(`vector ${this.name}: ${key} is not lowercase hex bytes`);
    return Buffer.from(v, 'hex');
  }
  hexList(key: string): Buffer[] {
    return this.raw(key)
      .split(',')
      .map((part, k) => {
        if (!/^([0-9a-f]{2})+$/.test(part)) throw new Error(`vector ${this.name}: ${key}[${k}] is not lowercase hex bytes`);
        return Buffer.from(part, 'hex');
      });
  }
  int(key: string): number {
    const v = this.raw(key);
    if (!/^-?(0|[1-9][0-9]*)$/.test(v)) throw new Error(`vector ${this.name}: ${key} is not a decimal integer`);
    return Number(v);
  }
  unread(): string[] {
    return [...this.fields.keys()].filter((k) => !this.read.has(k));
  }
}

function parseVectors(markdown: string): Map<string, Map<string, string>> {
  const vectors = new Map<string, Map<string, string>>();
  const block = /^```vector ([a-z0-9-]+)\n([\s\S]*?)^```$/gm;
  for (let m = block.exec(markdown); m; m = block.exec(markdown)) {
    const [, name, body] = m;
    if (vectors.has(name)) throw new Error(`vector ${name} appears twice`);
    const fields = new Map<string, string>();
    let last: string | null = null;
    for (const rawLine of body.split('\n')) {
      const line = rawLine.replace(/\s+#\s.*$/, '').trimEnd();
      if (line.trim() === '' || /^\s*#/.test(line)) continue;
      const kv = /^([A-Za-z][\w.]*)\s*=\s*(.*)$/.exec(line);
      if (kv) {
        if (fields.has(kv[1])) throw new Error(`vector ${name}: ${kv[1]} given twice`);
        fields.set(kv[1], kv[2]);
        last = kv[1];
      } else if (/^\s/.test(line) && last) {
        fields.set(last, fields.get(last) + line.trim());
      } else {
        throw new Error(`vector ${name}: cannot read the line "${rawLine}"`);
      }
    }
    vectors.set(name, fields);
  }
  return vectors;
}

const parsed = parseVectors(readFileSync(DOC, 'utf8'));
const checked = new Map<string, Vector>();
function vector(name: string): Vector {
  const f = parsed.get(name);
  if (!f) throw new Error(`docs/protocol.md has no vector ${name}`);
  let v = checked.get(name);
  if (!v) checked.set(name, (v = new Vector(name, f)));
  return v;
}

// ---- Node's crypto, from the byte layouts of docs/protocol.md --------------------------------------
const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const le16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const ascii = (s: string) => Buffer.from(s, 'utf8');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();
const hkdf = (ikm: Buffer, info: Buffer, length: number) => Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), info, length));
function aesEcb(key: Buffer, block: Buffer): Buffer {
  const c = createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}
function aesCtr(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const c = createCipheriv('aes-128-ctr', key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}
/** An Ed25519 private key from its 32-byte seed: the seed behind RFC 8410's fixed PKCS#8 prefix. */
function ed25519Key(seed: Buffer): { priv: KeyObject; pub: Buffer } {
  const priv = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const pub = createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(-32);
  return { priv, pub };
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// ---- the vectors --------------------------------------------------------------------------------

describe('§1 time', () => {
  const v = vector('time');
  const t = v.int('t');
  test('Node: ENIN and day interval by the definitions', () => {
    expect(Math.floor(t / 600)).toBe(v.int('enin'));
    expect(Math.floor(v.int('enin') / 144) * 144).toBe(v.int('i'));
    expect(v.int('i') - 14 * 144).toBe(v.int('retentionStart'));
  });
  test('shared/protocol', () => {
    expect(enin(t)).toBe(v.int('enin'));
    expect(dayInterval(enin(t))).toBe(v.int('i'));
    expect(retentionStart(enin(t))).toBe(v.int('retentionStart'));
  });
});

describe('§2 aemk from tek', () => {
  const v = vector('aemk');
  const tek = v.hex('tek');
  const i = v.int('i');
  test('Node: HKDF-SHA256 with info "PrTC" || LE32(i)', () => {
    expect(hex(Buffer.concat([ascii('PrTC'), le32(i)]))).toBe(hex(v.hex('info')));
    expect(hex(hkdf(tek, v.hex('info'), 32))).toBe(hex(v.hex('aemk')));
    expect(Buffer.from(v.hex('aemk')).toString('base64url')).toBe(v.text('aemkBase64url'));
    expect(JSON.parse(v.text('wire'))).toEqual({ aemk: v.text('aemkBase64url'), i, period: 144 });
  });
  test('shared/protocol', () => {
    const aemk = deriveAemk(tek, i);
    expect(toHex(aemk)).toBe(hex(v.hex('aemk')));
    expect(toBase64url(aemk)).toBe(v.text('aemkBase64url'));
  });
});

describe('§2 rpik and mk', () => {
  const v = vector('day-keys');
  test('Node: the halves of aemk', () => {
    expect(hex(v.hex('aemk').subarray(0, 16))).toBe(hex(v.hex('rpik')));
    expect(hex(v.hex('aemk').subarray(16, 32))).toBe(hex(v.hex('mk')));
  });
  test('shared/protocol', () => {
    const keys = dayKeys(PROFILES.prtc, v.hex('aemk'));
    expect(toHex(keys.rpik)).toBe(hex(v.hex('rpik')));
    expect(toHex(keys.mk)).toBe(hex(v.hex('mk')));
  });
});

describe('§2 PaddedData', () => {
  const v = vector('padded-data');
  test('Node: "PrTC-RPI" || 4 zero bytes || LE32(j)', () => {
    expect(hex(Buffer.concat([ascii('PrTC-RPI'), Buffer.alloc(4), le32(v.int('j'))]))).toBe(hex(v.hex('paddedData')));
  });
  test('shared/protocol', () => {
    expect(toHex(paddedData(PROFILES.prtc, v.int('j')))).toBe(hex(v.hex('paddedData')));
  });
});

describe('§2 rpi', () => {
  const v = vector('rpi');
  const block = Buffer.concat([ascii('PrTC-RPI'), Buffer.alloc(4), le32(v.int('j'))]);
  test('Node: AES-128-ECB(rpik, PaddedData_j)', () => {
    expect(hex(aesEcb(v.hex('rpik'), block))).toBe(hex(v.hex('rpi')));
  });
  test('shared/protocol', () => {
    // deriveRpi takes the day's keys; only rpik matters for an rpi, so any mk will do
    const keys = { profile: PROFILES.prtc, rpik: v.hex('rpik'), mk: new Uint8Array(16) };
    expect(toHex(deriveRpi(keys, v.int('j')))).toBe(hex(v.hex('rpi')));
  });
});

describe('§2 metadata', () => {
  const v = vector('metadata');
  test('Node: 0x40, txPower as int8, 0, 0', () => {
    const b = Buffer.from([0x40, 0, 0, 0]);
    b.writeInt8(v.int('txPower'), 1);
    expect(hex(b)).toBe(hex(v.hex('metadata')));
  });
  test('shared/protocol', () => {
    expect(toHex(encodeMetadata(v.int('txPower')))).toBe(hex(v.hex('metadata')));
    expect(decodeMetadata(v.hex('metadata'))).toEqual({ major: 1, minor: 0, txPower: v.int('txPower') });
  });
});

describe('§2 aem', () => {
  const v = vector('aem');
  test('Node: AES-128-CTR(mk, iv = rpi, metadata)', () => {
    expect(hex(aesCtr(v.hex('mk'), v.hex('rpi'), v.hex('metadata')))).toBe(hex(v.hex('aem')));
  });
  test('shared/protocol, both ways', () => {
    const keys = { profile: PROFILES.prtc, rpik: new Uint8Array(16), mk: v.hex('mk') };
    expect(toHex(cryptAem(keys, v.hex('rpi'), v.hex('metadata')))).toBe(hex(v.hex('aem')));
    expect(toHex(cryptAem(keys, v.hex('rpi'), v.hex('aem')))).toBe(hex(v.hex('metadata')));
  });
});

describe('§4 frame M', () => {
  const v = vector('frame-m');
  const data = v.hex('manufacturerSpecificData');
  test('Node: "PT" || 0x01 || rpi || aem, and the company id before it', () => {
    expect(v.text('manufacturerId')).toBe('0xFFFF');
    expect(hex(Buffer.concat([Buffer.from([0x50, 0x54, 0x01]), v.hex('rpi'), v.hex('aem')]))).toBe(hex(data));
    expect(data.length).toBe(23);
    expect(hex(v.hex('advertisData'))).toBe('ffff' + hex(data));
  });
  test('shared/protocol: encoded, and decoded in both forms hosts report', () => {
    const req = encodeFrame('M', v.hex('rpi'), v.hex('aem'));
    expect(req.manufacturerData).toHaveLength(1);
    expect(req.manufacturerData![0].manufacturerId).toBe(MANUFACTURER_ID);
    expect(hex(new Uint8Array(req.manufacturerData![0].manufacturerSpecificData))).toBe(hex(data));
    for (const ad of [data, v.hex('advertisData')]) {
      const advertisData = new Uint8Array(ad).buffer;
      const d = decodeScanResult({ advertisData, RSSI: -60 });
      expect(d && { frame: d.frame, rpi: toHex(d.rpi), aem: d.aem && toHex(d.aem) }).toEqual({
        frame: 'M',
        rpi: hex(v.hex('rpi')),
        aem: hex(v.hex('aem')),
      });
    }
  });
});

describe('§4 frame U', () => {
  const v = vector('frame-u');
  test('Node: the rpi as a UUID in canonical text order', () => {
    const h = hex(v.hex('rpi')).toUpperCase();
    expect(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`).toBe(v.text('rpiUuid'));
  });
  test('shared/protocol: encoded, and decoded without an aem', () => {
    expect(encodeFrame('U', v.hex('rpi'), null, v.text('marker')).serviceUuids).toEqual([v.text('marker'), v.text('rpiUuid')]);
    const d = decodeScanResult({ advertisServiceUUIDs: [v.text('marker'), v.text('rpiUuid')], RSSI: -70 }, v.text('marker'));
    expect(d && { frame: d.frame, rpi: toHex(d.rpi), aem: d.aem }).toEqual({ frame: 'U', rpi: hex(v.hex('rpi')), aem: null });
  });
});

describe('§4 frame S', () => {
  const v = vector('frame-s');
  const data = v.hex('manufacturerSpecificData');
  test('Node: rpi || aem, the company id before it, and the 31-byte packet built AD structure by AD structure', () => {
    expect(v.text('manufacturerId')).toBe('0xFFFF');
    expect(hex(Buffer.concat([v.hex('rpi'), v.hex('aem')]))).toBe(hex(data));
    expect(hex(v.hex('advertisData'))).toBe('ffff' + hex(data));
    const ad = (type: number, body: Buffer) => Buffer.concat([Buffer.from([body.length + 1, type]), body]);
    const packet = Buffer.concat([
      ad(0x01, Buffer.from([0x06])), // Flags
      ad(0x03, le16(parseInt(v.text('marker'), 16))), // Complete List of 16-bit Service Class UUIDs
      ad(0xff, Buffer.concat([le16(0xffff), data])), // Manufacturer Specific Data
    ]);
    expect(hex(packet)).toBe(hex(v.hex('packet')));
    expect(packet.length).toBe(v.int('packetLength'));
  });
  test('shared/protocol: encoded, and decoded in both forms hosts report', () => {
    const req = encodeFrame('S', v.hex('rpi'), v.hex('aem'), v.text('marker'));
    expect(req.serviceUuids).toEqual([v.text('marker')]);
    expect(req.manufacturerData![0].manufacturerId).toBe(MANUFACTURER_ID);
    expect(hex(new Uint8Array(req.manufacturerData![0].manufacturerSpecificData))).toBe(hex(data));
    for (const ad of [data, v.hex('advertisData')]) {
      const d = decodeScanResult({ advertisData: new Uint8Array(ad).buffer, advertisServiceUUIDs: [v.text('marker')], RSSI: -60 });
      expect(d && { frame: d.frame, rpi: toHex(d.rpi), aem: d.aem && toHex(d.aem) }).toEqual({
        frame: 'S',
        rpi: hex(v.hex('rpi')),
        aem: hex(v.hex('aem')),
      });
    }
  });
});

describe('§7 venue payload, locationId, locationIdHash', () => {
  const v = vector('venue');
  const fields = {
    venueType: v.int('venueType'),
    flags: v.int('flags'),
    validFrom: v.int('validFrom'),
    validUntil: v.int('validUntil'),
    defaultMinutes: v.int('defaultMinutes'),
    seed: v.hex('seed'),
    desc: v.text('desc'),
  };
  test('Node: the layout, SHA-256("PrTC-VENUE" || payload), SHA-256(locationId)', () => {
    const desc = ascii(fields.desc);
    const payload = Buffer.concat([
      Buffer.from([0x01, fields.venueType, fields.flags]),
      le32(fields.validFrom),
      le32(fields.validUntil),
      le16(fields.defaultMinutes),
      fields.seed,
      Buffer.from([desc.length]),
      desc,
    ]);
    expect(hex(payload)).toBe(hex(v.hex('payload')));
    expect(v.text('link')).toBe(`https://prtc.example.org/v#${payload.toString('base64url')}`);
    const locationId = sha256(Buffer.concat([ascii('PrTC-VENUE'), payload]));
    expect(hex(locationId)).toBe(hex(v.hex('locationId')));
    expect(hex(sha256(locationId))).toBe(hex(v.hex('locationIdHash')));
  });
  test('shared/protocol: encoded, and the link parsed back', () => {
    const payload = encodeVenuePayload({
      venueType: fields.venueType,
      staff: (fields.flags & 1) === 1,
      event: (fields.flags & 2) === 2,
      validFrom: fields.validFrom,
      validUntil: fields.validUntil,
      defaultMinutes: fields.defaultMinutes,
      description: fields.desc,
      seed: fields.seed,
    });
    expect(toHex(payload)).toBe(hex(v.hex('payload')));
    expect(venueUrl('prtc.example.org', payload)).toBe(v.text('link'));
    const venue = parseVenueUrl(v.text('link'));
    expect(toHex(venue.locationId)).toBe(hex(v.hex('locationId')));
    expect(toHex(venue.locationIdHash)).toBe(hex(v.hex('locationIdHash')));
    expect(venue.description).toBe(fields.desc);
  });
});

/** A batch vector's content, as its fields list it. */
function batchOf(v: Vector): BatchContent {
  const days: BatchContent['days'] = [];
  for (let d = 0; v.has(`day.${d}.i`); d++) days.push({ i: v.int(`day.${d}.i`), keys: v.hexList(`day.${d}.keys`) });
  const warnings: BatchContent['warnings'] = [];
  for (let w = 0; v.has(`warning.${w}.locationIdHash`); w++) {
    warnings.push({
      locationIdHash: v.hex(`warning.${w}.locationIdHash`),
      startEnin: v.int(`warning.${w}.startEnin`),
      endEnin: v.int(`warning.${w}.endEnin`),
    });
  }
  return { n: v.int('n'), prevHash: v.hex('prevHash'), createdAt: v.int('createdAt'), days, warnings };
}

/** The §9 body by hand from its table. */
function nodeBody(b: BatchContent): Buffer {
  const parts = [ascii('PrTCB001'), le32(b.n), Buffer.from(b.prevHash), le32(b.createdAt), le32(b.days.length)];
  for (const d of b.days) parts.push(le32(d.i), le32(d.keys.length), ...d.keys.map((k) => Buffer.from(k)));
  parts.push(le32(b.warnings.length));
  for (const w of b.warnings) parts.push(Buffer.from(w.locationIdHash), le32(w.startEnin), le32(w.endEnin));
  return Buffer.concat(parts);
}

describe('§9 batch bodies and their hashes', () => {
  const v1 = vector('batch-1');
  const v2 = vector('batch-2');
  const b1 = batchOf(v1);
  const b2 = batchOf(v2);
  test('Node: the body by its table, SHA-256 of it, and the link from batch 2 to batch 1', () => {
    for (const [v, b] of [
      [v1, b1],
      [v2, b2],
    ] as const) {
      expect(hex(nodeBody(b))).toBe(hex(v.hex('body')));
      expect(hex(sha256(v.hex('body')))).toBe(hex(v.hex('batchHash')));
    }
    expect(hex(b1.prevHash)).toBe('00'.repeat(32));
    expect(hex(b2.prevHash)).toBe(hex(v1.hex('batchHash')));
  });
  test('shared/protocol: encoded, hashed, decoded back', () => {
    for (const [v, b] of [
      [v1, b1],
      [v2, b2],
    ] as const) {
      const body = encodeBatch(b);
      expect(toHex(body)).toBe(hex(v.hex('body')));
      expect(toHex(batchHash(body))).toBe(hex(v.hex('batchHash')));
      const d = decodeBatch(body);
      expect(d.days.map((x) => ({ i: x.i, keys: x.keys.map(toHex) }))).toEqual(b.days.map((x) => ({ i: x.i, keys: x.keys.map(hex) })));
      expect(d.warnings.map((w) => [toHex(w.locationIdHash), w.startEnin, w.endEnin])).toEqual(
        b.warnings.map((w) => [hex(w.locationIdHash), w.startEnin, w.endEnin]),
      );
    }
    expect(toHex(b1.prevHash)).toBe(toHex(ZERO_HASH));
  });
});

describe('§9 "Levels": a body whose warnings carry source, level and note (issue 31)', () => {
  const v = vector('batch-levels');
  const SOURCES: Record<string, number> = { visitor: 0, authority: 1, owner: 2 };
  const LEVELS: Record<string, number> = { inform: 1, test: 2, isolate: 3 };
  const content = (): BatchContent => {
    const warnings: BatchContent['warnings'] = [];
    for (let w = 0; v.has(`warning.${w}.locationIdHash`); w++) {
      const one: BatchContent['warnings'][number] = {
        locationIdHash: v.hex(`warning.${w}.locationIdHash`),
        startEnin: v.int(`warning.${w}.startEnin`),
        endEnin: v.int(`warning.${w}.endEnin`),
      };
      if (v.has(`warning.${w}.source`)) one.source = v.text(`warning.${w}.source`) as 'authority';
      if (v.has(`warning.${w}.level`)) one.level = v.text(`warning.${w}.level`) as 'test';
      if (v.has(`warning.${w}.tel`)) one.tel = v.text(`warning.${w}.tel`);
      if (v.has(`warning.${w}.text.en`)) one.text = { en: v.text(`warning.${w}.text.en`) };
      warnings.push(one);
    }
    return { region: v.int('region'), n: v.int('n'), prevHash: v.hex('prevHash'), createdAt: v.int('createdAt'), days: [], warnings };
  };
  test('Node: the body by its table (the note as JSON), SHA-256 of it, and the link to batch 2', () => {
    const b = content();
    const parts = [
      ascii('PrTCB003'),
      le32(b.region!),
      le32(b.n),
      Buffer.from(b.prevHash),
      le32(b.createdAt),
      le32(0),
      le32(b.warnings.length),
    ];
    for (const w of b.warnings) {
      const note = w.tel || w.text ? ascii(JSON.stringify({ tel: w.tel, text: w.text })) : Buffer.alloc(0);
      parts.push(Buffer.from(w.locationIdHash), le32(w.startEnin), le32(w.endEnin));
      parts.push(Buffer.from([SOURCES[w.source ?? 'visitor'], w.level ? LEVELS[w.level] : 0]), le16(note.length), note);
    }
    expect(hex(Buffer.concat(parts))).toBe(hex(v.hex('body')));
    expect(hex(sha256(v.hex('body')))).toBe(hex(v.hex('batchHash')));
    expect(hex(b.prevHash)).toBe(hex(vector('batch-2').hex('batchHash')));
  });
  test('shared/protocol: encoded to the bytes written out by hand, decoded back to the same warnings', () => {
    const b = content();
    const body = encodeBatch(b);
    expect(toHex(body)).toBe(hex(v.hex('body')));
    expect(toHex(batchHash(body))).toBe(hex(v.hex('batchHash')));
    const d = decodeBatch(v.hex('body'));
    expect(d.region).toBe(0);
    expect(d.warnings.map((w) => ({ ...w, locationIdHash: toHex(w.locationIdHash) }))).toEqual(
      b.warnings.map((w) => ({ ...w, locationIdHash: hex(w.locationIdHash) })),
    );
  });
});

describe('§9 the signed head', () => {
  const v = vector('head');
  const seed = v.hex('seed');
  const message = v.hex('message');
  test('Node: the message by its layout, the public key of the seed, a deterministic Ed25519 signature', () => {
    expect(hex(Buffer.concat([ascii('PrTC-HEAD'), le32(v.int('n')), v.hex('batchHash'), le32(v.int('signedAt'))]))).toBe(hex(message));
    expect(message.length).toBe(49);
    const { priv, pub } = ed25519Key(seed);
    expect(hex(pub)).toBe(hex(v.hex('publicKey')));
    // RFC 8032 §7.1 TEST 1: this seed's public key
    expect(hex(pub)).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(pub.toString('base64url')).toBe(v.text('publicKeyBase64url'));
    expect(hex(nodeSign(null, message, priv))).toBe(hex(v.hex('signature')));
  });
  test('shared/protocol: the message, the key, the signature; the signature verifies', () => {
    const msg = headMessage(v.int('n'), v.hex('batchHash'), v.int('signedAt'));
    expect(toHex(msg)).toBe(hex(message));
    expect(toHex(publicKeyOf(seed))).toBe(hex(v.hex('publicKey')));
    expect(toHex(sign(msg, seed))).toBe(hex(v.hex('signature')));
    expect(verify(v.hex('signature'), msg, fromBase64url(v.text('publicKeyBase64url'), 32))).toBe(true);
  });
  test("shared/protocol: batch 2's body verifies against this head and batch 1", () => {
    const b1 = vector('batch-1');
    const b2 = vector('batch-2');
    const head = { n: v.int('n'), hash: v.hex('batchHash'), signedAt: v.int('signedAt'), signature: v.hex('signature') };
    const previous = { n: b1.int('n'), hash: b1.hex('batchHash'), signedAt: 0, signature: new Uint8Array(64) };
    expect(verifyBatch(b2.hex('body'), head, previous, v.hex('publicKey')).n).toBe(2);
  });
});

describe('§6 the signed risk configuration', () => {
  const v = vector('config');
  const message = v.hex('message');
  test('Node: "PrTC-CONFIG" || the JSON text, signed', () => {
    expect(hex(Buffer.concat([ascii('PrTC-CONFIG'), ascii(v.text('configJson'))]))).toBe(hex(message));
    const { priv, pub } = ed25519Key(v.hex('seed'));
    expect(hex(nodeSign(null, message, priv))).toBe(hex(v.hex('signature')));
    expect(nodeVerify(null, message, createPublicKey(priv), v.hex('signature'))).toBe(true);
    expect(hex(pub)).toBe(hex(vector('head').hex('publicKey')));
    expect(v.hex('signature').toString('base64url')).toBe(v.text('signatureBase64url'));
  });
  test('shared/protocol: the default configuration is this text, and its message and signature', () => {
    expect(JSON.stringify(DEFAULT_RISK_CONFIG)).toBe(v.text('configJson'));
    expect(parseRiskConfig(v.text('configJson'))).toEqual(DEFAULT_RISK_CONFIG);
    expect(toHex(configMessage(v.text('configJson')))).toBe(hex(message));
    expect(toBase64url(sign(message, v.hex('seed')))).toBe(v.text('signatureBase64url'));
  });
});

describe('§6 the signed configuration, version 2', () => {
  const v = vector('config-v2');
  const json = v.text('configJson');
  test('Node: "PrTC-CONFIG" || the JSON text, signed by the same key', () => {
    const { priv } = ed25519Key(v.hex('seed'));
    const message = Buffer.concat([ascii('PrTC-CONFIG'), ascii(json)]);
    expect(hex(nodeSign(null, message, priv))).toBe(hex(v.hex('signature')));
    expect(v.hex('signature').toString('base64url')).toBe(v.text('signatureBase64url'));
  });
  test('shared/risk: the document parses, goes through unchanged, and projects to version 1’s text', () => {
    const c = parseRiskConfigV2(json);
    expect(c).toMatchObject({ version: 2, serial: 2, issuedAt: Date.UTC(2026, 2, 13) / 1000 });
    expect(c.advice.red.en).toEqual({ now: 'Stay home and get tested.', hotline: '12320', link: 'https://health.example/red' });
    expect(configV2Json(c)).toBe(json);
    expect(configV1Json(c)).toBe(vector('config').text('configJson'));
    expect(verify(v.hex('signature'), configMessage(json), publicKeyOf(v.hex('seed')))).toBe(true);
  });
});

describe('§8 the health code', () => {
  const v = vector('health-code');
  const code = {
    status: v.int('status'),
    issuedAt: v.int('issuedAt'),
    statusComputedAt: v.int('statusComputedAt'),
    n: v.int('n'),
    hash: v.hex('batchHash'),
    signedAt: v.int('signedAt'),
    signature: v.hex('signature'),
  };
  test('Node: the layout, the prefix, and a checkpoint signature that verifies', () => {
    const payload = Buffer.concat([
      Buffer.from([0x01, code.status]),
      le32(code.issuedAt),
      le32(code.statusComputedAt),
      le32(code.n),
      code.hash,
      le32(code.signedAt),
      code.signature,
    ]);
    expect(payload.length).toBe(114);
    expect(hex(payload)).toBe(hex(v.hex('payload')));
    expect(v.text('text')).toBe(`PRTC-HC1:${payload.toString('base64url')}`);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), v.hex('publicKey')]);
    const pub = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const message = Buffer.concat([ascii('PrTC-HEAD'), le32(code.n), code.hash, le32(code.signedAt)]);
    expect(nodeVerify(null, message, pub, code.signature)).toBe(true);
  });
  test('shared/protocol: encoded, decoded, and valid at a gate whose clock reads issuedAt', () => {
    const checkpoint = { n: code.n, hash: code.hash, signedAt: code.signedAt, signature: code.signature };
    const h = { status: STATUS_FROM_CODE[code.status], issuedAt: code.issuedAt, statusComputedAt: code.statusComputedAt, checkpoint };
    expect(encodeHealthCode(h)).toBe(v.text('text'));
    const d = decodeHealthCode(v.text('text'));
    expect([d.status, d.issuedAt, d.statusComputedAt, d.checkpoint!.n, toHex(d.checkpoint!.hash), d.checkpoint!.signedAt]).toEqual([
      'yellow',
      code.issuedAt,
      code.statusComputedAt,
      code.n,
      hex(code.hash),
      code.signedAt,
    ]);
    const r = verifyHealthCode(v.text('text'), v.hex('publicKey'), code.issuedAt);
    expect(r.reasons).toEqual([]);
    expect(r.valid).toBe(true);
  });
});

describe('§3 the GAEN profile (Exposure Notification Cryptography Specification v1.2)', () => {
  const v = vector('gaen');
  const tek = v.hex('tek');
  const start = v.int('enin');
  const intervals = [0, 1, 143];
  test('the vectors repeat the published ones of tests/fixtures/gaen-vectors.txt', () => {
    const fixture = readFileSync(join(__dirname, '../fixtures/gaen-vectors.txt'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(' '));
    const header = Object.fromEntries(fixture.filter(([a]) => !/^[0-9a-f]{32}$/.test(a)));
    const lines = fixture.filter(([a]) => /^[0-9a-f]{32}$/.test(a));
    expect([header.tek, Number(header.enin), header.rpik, header.aemk, header.metadata]).toEqual([
      hex(tek),
      start,
      hex(v.hex('rpik')),
      hex(v.hex('aemk')),
      hex(v.hex('metadata')),
    ]);
    for (const k of intervals) expect(lines[k]).toEqual([hex(v.hex(`rpi.${k}`)), hex(v.hex(`aem.${k}`))]);
  });
  test('Node: HKDF "EN-RPIK"/"EN-AEMK", "EN-RPI" padded block, ECB, CTR', () => {
    const rpik = hkdf(tek, ascii('EN-RPIK'), 16);
    const aemk = hkdf(tek, ascii('EN-AEMK'), 16);
    expect(hex(rpik)).toBe(hex(v.hex('rpik')));
    expect(hex(aemk)).toBe(hex(v.hex('aemk')));
    expect(hex(Buffer.concat([ascii('EN-RPI'), Buffer.alloc(6), le32(start)]))).toBe(hex(v.hex('paddedData.0')));
    for (const k of intervals) {
      const rpi = aesEcb(rpik, Buffer.concat([ascii('EN-RPI'), Buffer.alloc(6), le32(start + k)]));
      expect(hex(rpi)).toBe(hex(v.hex(`rpi.${k}`)));
      expect(hex(aesCtr(aemk, rpi, v.hex('metadata')))).toBe(hex(v.hex(`aem.${k}`)));
    }
  });
  test('shared/protocol, profile gaen', () => {
    const keys = dayKeys(PROFILES.gaen, tek);
    expect(toHex(keys.rpik)).toBe(hex(v.hex('rpik')));
    expect(toHex(keys.mk)).toBe(hex(v.hex('aemk')));
    expect(toHex(paddedData(PROFILES.gaen, start))).toBe(hex(v.hex('paddedData.0')));
    for (const k of intervals) {
      const rpi = deriveRpi(keys, start + k);
      expect(toHex(rpi)).toBe(hex(v.hex(`rpi.${k}`)));
      expect(toHex(cryptAem(keys, rpi, v.hex('metadata')))).toBe(hex(v.hex(`aem.${k}`)));
    }
  });
});

// ---- §15 regions, their chains and the root ------------------------------------------------------

describe('§15 a venue code with its region (version 0x02)', () => {
  const v = vector('venue-v2');
  const concert = vector('venue');
  test('Node: the §7 layout with version 2 and LE32(region) before descLen, and its location id', () => {
    const desc = ascii(concert.text('desc'));
    const payload = Buffer.concat([
      Buffer.from([0x02, concert.int('venueType'), concert.int('flags')]),
      le32(concert.int('validFrom')),
      le32(concert.int('validUntil')),
      le16(concert.int('defaultMinutes')),
      concert.hex('seed'),
      le32(v.int('region')),
      Buffer.from([desc.length]),
      desc,
    ]);
    expect(hex(payload)).toBe(hex(v.hex('payload')));
    expect(v.text('link')).toBe(`https://prtc.example.org/v#${payload.toString('base64url')}`);
    const locationId = sha256(Buffer.concat([ascii('PrTC-VENUE'), payload]));
    expect(hex(locationId)).toBe(hex(v.hex('locationId')));
    expect(hex(sha256(locationId))).toBe(hex(v.hex('locationIdHash')));
  });
  test('shared/protocol: encoded with the region, parsed back; the version-1 code still reads, without one', () => {
    const flags = concert.int('flags');
    const payload = encodeVenuePayload({
      venueType: concert.int('venueType'),
      staff: (flags & 1) === 1,
      event: (flags & 2) === 2,
      validFrom: concert.int('validFrom'),
      validUntil: concert.int('validUntil'),
      defaultMinutes: concert.int('defaultMinutes'),
      description: concert.text('desc'),
      seed: concert.hex('seed'),
      region: v.int('region'),
    });
    expect(toHex(payload)).toBe(hex(v.hex('payload')));
    const venue = parseVenueUrl(v.text('link'));
    expect([venue.region, toHex(venue.locationId), toHex(venue.locationIdHash)]).toEqual([
      v.int('region'),
      hex(v.hex('locationId')),
      hex(v.hex('locationIdHash')),
    ]);
    expect(parseVenueUrl(concert.text('link')).region).toBeNull();
  });
});

describe('§15 a batch of a region, and its head', () => {
  const v = vector('region-batch');
  const b = batchOf(v);
  const region = v.int('region');
  test('Node: "PrTCB002" || LE32(region) || the rest of the §9 body; the regional head message, signed', () => {
    const plain = nodeBody(b);
    expect(hex(Buffer.concat([ascii('PrTCB002'), le32(region), plain.subarray(8)]))).toBe(hex(v.hex('body')));
    expect(hex(sha256(v.hex('body')))).toBe(hex(v.hex('batchHash')));
    const message = Buffer.concat([ascii('PrTC-RHEAD'), le32(region), le32(b.n), v.hex('batchHash'), le32(v.int('signedAt'))]);
    expect(hex(message)).toBe(hex(v.hex('message')));
    expect(message.length).toBe(54);
    expect(hex(nodeSign(null, message, ed25519Key(vector('head').hex('seed')).priv))).toBe(hex(v.hex('signature')));
  });
  test('shared/protocol: encoded, decoded with its region, verified; refused as another chain', () => {
    const body = encodeBatch({ ...b, region });
    expect(toHex(body)).toBe(hex(v.hex('body')));
    expect(decodeBatch(body).region).toBe(region);
    const head = { n: b.n, hash: v.hex('batchHash'), signedAt: v.int('signedAt'), signature: v.hex('signature') };
    expect(toHex(headMessage(b.n, head.hash, head.signedAt, region))).toBe(hex(v.hex('message')));
    const key = vector('head').hex('publicKey');
    expect(verifyBatch(body, head, null, key, region).keyCount).toBe(2);
    expect(() => verifyBatch(body, head, null, key, 320500)).toThrow(/signature/);
    expect(() => verifyBody(body, head, null, 320500)).toThrow(expect.objectContaining({ code: 'bad_region' }));
    expect(() => verifyBody(body, head, null, 0)).toThrow(expect.objectContaining({ code: 'bad_region' }));
  });
});

describe('§15 the root', () => {
  const v = vector('root');
  const leaves = [0, 1, 2].map((k) => ({ region: v.int(`leaf.${k}.region`), n: v.int(`leaf.${k}.n`), hash: v.hex(`leaf.${k}.hash`) }));
  const count = v.int('count');
  test('Node: leaf and node hashes by their layouts, the odd leaf moved up, the signed message', () => {
    const leaf = (k: number) => sha256(Buffer.concat([Buffer.from([0x00]), le32(leaves[k].region), le32(leaves[k].n), leaves[k].hash]));
    for (const k of [0, 1, 2]) expect(hex(leaf(k))).toBe(hex(v.hex(`leaf.${k}.leafHash`)));
    const node01 = sha256(Buffer.concat([Buffer.from([0x01]), leaf(0), leaf(1)]));
    expect(hex(node01)).toBe(hex(v.hex('node01')));
    expect(hex(sha256(Buffer.concat([Buffer.from([0x01]), node01, leaf(2)])))).toBe(hex(v.hex('rootHash')));
    expect(v.hexList('proof.1').map(hex)).toEqual([hex(leaf(0)), hex(leaf(2))]);
    expect(v.hexList('proof.2').map(hex)).toEqual([hex(node01)]);
    expect(count).toBe(leaves.length);
    const message = Buffer.concat([ascii('PrTC-ROOT'), le32(count), v.hex('rootHash'), le32(v.int('signedAt'))]);
    expect(hex(message)).toBe(hex(v.hex('message')));
    expect(hex(nodeSign(null, message, ed25519Key(vector('head').hex('seed')).priv))).toBe(hex(v.hex('signature')));
    // the national leaf is batch 2's head of the §9 vectors, the regional one the region-batch vector's
    expect(hex(leaves[0].hash)).toBe(hex(vector('batch-2').hex('batchHash')));
    expect(hex(leaves[1].hash)).toBe(hex(vector('region-batch').hex('batchHash')));
  });
  test('shared/protocol: hashes, root, proofs both ways, message and signature', () => {
    expect(leaves.map((l) => toHex(leafHash(l)))).toEqual([0, 1, 2].map((k) => hex(v.hex(`leaf.${k}.leafHash`))));
    expect(toHex(nodeHash(leafHash(leaves[0]), leafHash(leaves[1])))).toBe(hex(v.hex('node01')));
    expect(toHex(merkleRoot(leaves))).toBe(hex(v.hex('rootHash')));
    expect(merkleProof(leaves, 1).path.map(toHex)).toEqual(v.hexList('proof.1').map(hex));
    expect(merkleProof(leaves, 2).path.map(toHex)).toEqual(v.hexList('proof.2').map(hex));
    for (const k of [0, 1, 2]) expect(toHex(rootFromProof(leaves[k], merkleProof(leaves, k), count)!)).toBe(hex(v.hex('rootHash')));
    expect(toHex(rootMessage(count, v.hex('rootHash'), v.int('signedAt')))).toBe(hex(v.hex('message')));
    expect(toHex(sign(v.hex('message'), vector('head').hex('seed')))).toBe(hex(v.hex('signature')));
    const root = { count, hash: v.hex('rootHash'), signedAt: v.int('signedAt'), signature: v.hex('signature') };
    expect(verifyRoot(root, vector('head').hex('publicKey'))).toBe(true);
    expect(() => verifyLeaf(leaves[1], { index: 1, path: v.hexList('proof.1') }, root, vector('head').hex('publicKey'))).not.toThrow();
  });
});

describe('§15 the health code, version 0x02', () => {
  const v = vector('health-code-v2');
  test('Node: the §8 layout with version 2 and the root in place of the head; its signature verifies', () => {
    const payload = Buffer.concat([
      Buffer.from([0x02, v.int('status')]),
      le32(v.int('issuedAt')),
      le32(v.int('statusComputedAt')),
      le32(v.int('count')),
      v.hex('rootHash'),
      le32(v.int('signedAt')),
      v.hex('signature'),
    ]);
    expect(payload.length).toBe(114);
    expect(hex(payload)).toBe(hex(v.hex('payload')));
    expect(v.text('text')).toBe(`PRTC-HC1:${payload.toString('base64url')}`);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), vector('head').hex('publicKey')]);
    const message = Buffer.concat([ascii('PrTC-ROOT'), le32(v.int('count')), v.hex('rootHash'), le32(v.int('signedAt'))]);
    expect(nodeVerify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), v.hex('signature'))).toBe(true);
  });
  test('shared/protocol: encoded, decoded, valid at a gate whose clock reads issuedAt', () => {
    const root = { count: v.int('count'), hash: v.hex('rootHash'), signedAt: v.int('signedAt'), signature: v.hex('signature') };
    const claim = { status: STATUS_FROM_CODE[v.int('status')], issuedAt: v.int('issuedAt'), statusComputedAt: v.int('statusComputedAt') };
    expect(encodeHealthCode({ ...claim, root })).toBe(v.text('text'));
    const d = decodeHealthCode(v.text('text'));
    expect([d.root?.count, toHex(d.root!.hash), d.root?.signedAt, d.checkpoint]).toEqual([
      root.count,
      hex(root.hash),
      root.signedAt,
      undefined,
    ]);
    const r = verifyHealthCode(v.text('text'), vector('head').hex('publicKey'), claim.issuedAt);
    expect(r.reasons).toEqual([]);
    expect([r.valid, r.status, r.syncedAt]).toEqual([true, 'yellow', root.signedAt]);
  });
});

describe('§16 the health code of a family member, version 0x03', () => {
  const v = vector('health-code-v3');
  test('Node: the version-0x02 bytes with version 3, then the member place and count; the root signature verifies', () => {
    const payload = Buffer.concat([
      Buffer.from([0x03, v.int('status')]),
      le32(v.int('issuedAt')),
      le32(v.int('statusComputedAt')),
      le32(v.int('count')),
      v.hex('rootHash'),
      le32(v.int('signedAt')),
      v.hex('signature'),
      Buffer.from([v.int('member'), v.int('members')]),
    ]);
    expect(payload.length).toBe(116);
    expect(hex(payload)).toBe(hex(v.hex('payload')));
    expect(v.text('text')).toBe(`PRTC-HC1:${payload.toString('base64url')}`);
    // the same signed root as the version-0x02 vector: only the version byte and the two last bytes differ
    const v2 = Buffer.from(vector('health-code-v2').hex('payload'));
    expect(hex(payload.subarray(1, 114))).toBe(hex(v2.subarray(1)));
  });
  test('shared/protocol: encoded, decoded, valid at a gate, which reads the place and nothing else', () => {
    const root = { count: v.int('count'), hash: v.hex('rootHash'), signedAt: v.int('signedAt'), signature: v.hex('signature') };
    const claim = { status: STATUS_FROM_CODE[v.int('status')], issuedAt: v.int('issuedAt'), statusComputedAt: v.int('statusComputedAt') };
    const member = { index: v.int('member'), count: v.int('members') };
    expect(encodeHealthCode({ ...claim, root, member })).toBe(v.text('text'));
    expect(decodeHealthCode(v.text('text')).member).toEqual({ index: 2, count: 3 });
    const r = verifyHealthCode(v.text('text'), vector('head').hex('publicKey'), claim.issuedAt);
    expect(r).toMatchObject({ valid: true, status: 'yellow', member: { index: 2, count: 3 }, reasons: [] });
    // the user's own code carries no place
    expect(verifyHealthCode(vector('health-code-v2').text('text'), vector('head').hex('publicKey'), claim.issuedAt).member).toBeUndefined();
  });
  test('a place that is not one, a version-0x03 code of 114 bytes or one with extra bytes: refused', () => {
    const good = Buffer.from(v.hex('payload'));
    const text = (b: Buffer) => `PRTC-HC1:${b.toString('base64url')}`;
    const key = vector('head').hex('publicKey');
    const at = v.int('issuedAt');
    for (const [index, count] of [
      [0, 3],
      [4, 3],
      [1, 0],
    ]) {
      const b = Buffer.from(good);
      b[114] = index;
      b[115] = count;
      expect(verifyHealthCode(text(b), key, at).reasons.map((x) => x.code)).toEqual(['invalid_health_code']);
    }
    expect(verifyHealthCode(text(good.subarray(0, 114)), key, at).reasons.map((x) => x.code)).toEqual(['invalid_health_code']);
    expect(verifyHealthCode(text(Buffer.concat([good, Buffer.from([0])])), key, at).reasons.map((x) => x.code)).toEqual([
      'invalid_health_code',
    ]);
    const root = { count: 3, hash: v.hex('rootHash'), signedAt: 1, signature: v.hex('signature') };
    expect(() => encodeHealthCode({ status: 'green', issuedAt: 1, statusComputedAt: 1, root, member: { index: 4, count: 3 } })).toThrow(
      /member/,
    );
  });
});

describe('§17 moving to a new phone', () => {
  const v = vector('move');
  test('Node: scrypt and HKDF give the keys; the frame is its layout and tag; ChaCha20-Poly1305 opens it; it inflates to the snapshot', () => {
    const id = v.hex('transferId');
    const master = scryptSync(ascii(v.text('code')), Buffer.concat([ascii('prtc-move-v1'), id]), 32, { N: 16384, r: 8, p: 1 });
    expect(hex(master)).toBe(hex(v.hex('master')));
    const part = (info: string) => Buffer.from(hkdfSync('sha256', master, id, ascii(info), 32));
    expect(hex(part('prtc-move payload'))).toBe(hex(v.hex('payloadKey')));
    expect(hex(part('prtc-move frame'))).toBe(hex(v.hex('frameKey')));
    expect(hex(part('prtc-move done'))).toBe(hex(v.hex('doneKey')));
    const body = v.hex('body');
    const head = Buffer.concat([Buffer.from([1]), id, le32(v.int('createdAt'))]);
    expect(hex(body.subarray(0, 17))).toBe(hex(Buffer.concat([head, le16(0), le16(1)])));
    const tag = createHmac('sha256', v.hex('frameKey')).update(body).digest().subarray(0, 16);
    expect(hex(tag)).toBe(hex(v.hex('tag')));
    expect(v.text('frame')).toBe(`prtc-move:${Buffer.concat([body, tag]).toString('base64url')}`);
    const sealed = body.subarray(17);
    expect(hex(sealed.subarray(0, 12))).toBe(hex(v.hex('nonce')));
    const d = createDecipheriv('chacha20-poly1305', v.hex('payloadKey'), sealed.subarray(0, 12), { authTagLength: 16 });
    d.setAAD(head, { plaintextLength: sealed.length - 28 });
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    const plain = Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]);
    expect(hex(plain)).toBe(hex(v.hex('deflated')));
    expect(inflateRawSync(plain).toString('utf8')).toBe(v.text('snapshot'));
    const done = createHmac('sha256', v.hex('doneKey'))
      .update(Buffer.concat([ascii('prtc-moved'), id]))
      .digest()
      .subarray(0, 16);
    expect(v.text('confirmation')).toBe(`prtc-moved:${Buffer.concat([id, done]).toString('base64url')}`);
  });
  test('shared/protocol: the same keys, frame and confirmation; the frame opens to the snapshot', () => {
    const id = v.hex('transferId');
    const keys = transferKeys(v.text('code'), id);
    expect([hex(keys.payload), hex(keys.frame), hex(keys.done)]).toEqual([
      hex(v.hex('payloadKey')),
      hex(v.hex('frameKey')),
      hex(v.hex('doneKey')),
    ]);
    expect(sealTransfer(keys, id, v.int('createdAt'), v.hex('nonce'), v.hex('deflated'))).toEqual([v.text('frame')]);
    const f = parseFrame(v.text('frame'));
    expect(checkFrame(keys, f)).toBe(true);
    expect(decodeSnapshot(openTransfer(keys, [f]))).toEqual(JSON.parse(v.text('snapshot')));
    expect(confirmationText(keys, id)).toBe(v.text('confirmation'));
    expect(checkConfirmation(keys, id, v.text('confirmation'))).toBe(true);
  });
});

describe('the document', () => {
  test('every vector block is checked here, and every field of it', () => {
    // runs after the describes above have registered their vectors (jest collects describes first)
    expect([...parsed.keys()].filter((name) => !checked.has(name))).toEqual([]);
    expect([...checked.values()].flatMap((v) => v.unread().map((f) => `${v.name}.${f}`))).toEqual([]);
  });
  test('the vector reader refuses what it cannot read', () => {
    expect(() => parseVectors('```vector x\na = 00\na = 01\n```\n')).toThrow(/twice/);
    expect(() => parseVectors('```vector x\n= 00\n```\n')).toThrow(/cannot read/);
    expect(parseVectors('```vector x\na = 00 # one\n    11  # two\nb = t#u\n```\n').get('x')).toEqual(
      new Map([
        ['a', '0011'],
        ['b', 't#u'],
      ]),
    );
  });
});
