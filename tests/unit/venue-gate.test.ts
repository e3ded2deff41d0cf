/**
 * §7 venue codes (PrTC and Corona-Warn-App), the CWA check-in derivation for uploads, and §8
 * health-code verification. Expectations come from CWA's published test payloads, bytes and
 * hashes built here with Node's own crypto, and intervals worked out by hand.
 */
import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVenueUrl, encodeVenuePayload, venueValidityProblem, MAX_DESC_BYTES } from '../../shared/protocol/venue';
import { verifyHealthCode, encodeHealthCode, decodeHealthCode } from '../../shared/protocol/healthcode';
import { PrtcError } from '../../shared/errors';
import { deriveUploadIntervals } from '../../miniprogram/services/checkins';

const cwa = JSON.parse(readFileSync(join(__dirname, '../fixtures/cwa-vectors.json'), 'utf8'));
const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const b64url = (b: Buffer) => b.toString('base64url');

/** Throws-with-code helper: every rejection is a PrtcError with a stable code, never anything else. */
function rejection(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PrtcError);
    expect((e as Error).message.length).toBeGreaterThan(5);
    return (e as PrtcError).code;
  }
  throw new Error('expected a rejection');
}

describe('Corona-Warn-App event codes', () => {
  test.each(cwa.payloads.map((p: { description: string }) => [p.description, p]) as [string, any][])(
    '%s: fields and location id as CWA publishes them',
    (_d, p) => {
      const bytes = Buffer.from(p.payloadBase64, 'base64');
      for (const fragment of [b64url(bytes), p.payloadBase64]) {
        // links in the wild carry either alphabet
        const v = parseVenueUrl(`https://e.coronawarn.app?v=1#${fragment}`);
        expect(v.format).toBe('cwa');
        expect(Buffer.from(v.locationId).toString('base64')).toBe(p.locationIdBase64);
        expect(Buffer.from(v.locationIdHash)).toEqual(sha256(Buffer.from(p.locationIdBase64, 'base64')));
        expect(v.description).toBe(p.description);
        expect(v.address).toBe(p.address);
        if (p.startTimestamp) {
          expect(v.event).toBe(true);
          expect(v.validFrom).toBe(Math.floor(p.startTimestamp / 60));
          expect(v.validUntil).toBe(Math.ceil(p.endTimestamp / 60));
        } else {
          expect(v.event).toBe(false);
        }
        if (p.defaultCheckInLengthInMinutes) expect(v.defaultMinutes).toBe(p.defaultCheckInLengthInMinutes);
      }
    },
  );

  test('the published hash of a location id is SHA-256 of its 32 bytes', () => {
    expect(sha256(Buffer.from(cwa.hash.locationIdHex, 'hex')).toString('hex')).toBe(cwa.hash.locationIdHashHex);
  });

  test('the location id is taken over the bytes as received: re-encoding would change it', () => {
    const p = cwa.payloads[1];
    const bytes = Buffer.from(p.payloadBase64, 'base64');
    const v = parseVenueUrl(`https://e.coronawarn.app?v=1#${b64url(bytes)}`);
    expect(Buffer.from(v.locationId)).toEqual(sha256(Buffer.from('CWA-GUID'), bytes));
  });

  test('wrong versions and damaged payloads are refused with a reason', () => {
    const good = b64url(Buffer.from(cwa.payloads[0].payloadBase64, 'base64'));
    expect(rejection(() => parseVenueUrl(`https://e.coronawarn.app?v=2#${good}`))).toBe('unsupported_version');
    expect(rejection(() => parseVenueUrl(`https://e.coronawarn.app?v=1#${good.slice(0, 30)}`))).toMatch(
      /invalid_venue|invalid_protobuf|truncated/,
    );
    expect(rejection(() => parseVenueUrl('https://e.coronawarn.app?v=1#AAAA'))).toMatch(/invalid_venue|invalid_protobuf/);
  });
});

describe('PrTC venue codes', () => {
  /** §7 payload built by hand, byte by byte. */
  function handPayload(o: { type: number; flags: number; from: number; until: number; minutes: number; seed: Buffer; desc: Buffer }) {
    const head = Buffer.alloc(13);
    head[0] = 1;
    head[1] = o.type;
    head[2] = o.flags;
    head.writeUInt32LE(o.from, 3);
    head.writeUInt32LE(o.until, 7);
    head.writeUInt16LE(o.minutes, 11);
    return Buffer.concat([head, o.seed, Buffer.from([o.desc.length]), o.desc]);
  }
  const seed = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

  test('payload layout, location id and its hash match a hand-built code', () => {
    const desc = Buffer.from('Library, room 2.14 — 图书馆', 'utf8');
    const bytes = handPayload({ type: 4, flags: 1, from: 0, until: 0, minutes: 480, seed, desc });
    const ours = encodeVenuePayload({
      venueType: 4,
      staff: true,
      event: false,
      validFrom: 0,
      validUntil: 0,
      defaultMinutes: 480,
      description: desc.toString('utf8'),
      seed: new Uint8Array(seed),
    });
    expect(Buffer.from(ours)).toEqual(bytes);
    const v = parseVenueUrl(`https://qr.example.org/v#${b64url(bytes)}`);
    const id = sha256(Buffer.from('PrTC-VENUE'), bytes);
    expect(Buffer.from(v.locationId)).toEqual(id);
    expect(Buffer.from(v.locationIdHash)).toEqual(sha256(id));
    expect(v).toMatchObject({
      format: 'prtc',
      venueType: 4,
      staff: true,
      event: false,
      defaultMinutes: 480,
      description: desc.toString('utf8'),
    });
  });

  test('two venues with the same description but different seeds are different locations', () => {
    const desc = Buffer.from('Room 1');
    const a = parseVenueUrl(`https://h/v#${b64url(handPayload({ type: 0, flags: 0, from: 0, until: 0, minutes: 60, seed, desc }))}`);
    const b = parseVenueUrl(
      `https://h/v#${b64url(handPayload({ type: 0, flags: 0, from: 0, until: 0, minutes: 60, seed: Buffer.alloc(16, 7), desc }))}`,
    );
    expect(Buffer.from(a.locationId)).not.toEqual(Buffer.from(b.locationId));
  });

  test('foreign, truncated, altered, wrong-version, oversized and non-UTF-8 codes are refused; nothing throws anything else', () => {
    const good = handPayload({ type: 1, flags: 0, from: 0, until: 0, minutes: 60, seed, desc: Buffer.from('Shop') });
    const url = (b: Buffer) => `https://h.example/v#${b64url(b)}`;
    expect(rejection(() => parseVenueUrl('WIFI:S:cafe;T:WPA;P:secret;;'))).toBe('not_a_venue');
    expect(rejection(() => parseVenueUrl('https://evil.example/x#abc'))).toBe('not_a_venue');
    expect(rejection(() => parseVenueUrl('PRTC-HC1:AQ'))).toBe('not_a_venue');
    expect(rejection(() => parseVenueUrl('x'.repeat(100_000)))).toBe('not_a_venue');
    expect(rejection(() => parseVenueUrl(url(good.subarray(0, good.length - 1))))).toBe('invalid_venue');
    expect(rejection(() => parseVenueUrl(url(Buffer.concat([good, Buffer.from([0])]))))).toBe('invalid_venue');
    expect(rejection(() => parseVenueUrl(url(good.subarray(0, 12))))).toBe('invalid_venue');
    // version 2 carries a region (§15) and is read; the next one is not known yet
    const v3 = Buffer.from(good);
    v3[0] = 3;
    expect(rejection(() => parseVenueUrl(url(v3)))).toBe('unsupported_version');
    const flags = Buffer.from(good);
    flags[2] = 0x80;
    expect(rejection(() => parseVenueUrl(url(flags)))).toBe('invalid_venue');
    const huge = handPayload({ type: 1, flags: 0, from: 0, until: 0, minutes: 60, seed, desc: Buffer.alloc(MAX_DESC_BYTES + 1, 0x41) });
    expect(rejection(() => parseVenueUrl(url(huge)))).toBe('invalid_venue');
    const latin1 = handPayload({ type: 1, flags: 0, from: 0, until: 0, minutes: 60, seed, desc: Buffer.from([0x43, 0x61, 0x66, 0xe9]) });
    expect(rejection(() => parseVenueUrl(url(latin1)))).toBe('invalid_utf8');
    expect(rejection(() => parseVenueUrl('https://h.example/v#@@@'))).toBe('not_a_venue');
    expect(
      rejection(() =>
        encodeVenuePayload({
          venueType: 1,
          staff: false,
          event: false,
          validFrom: 0,
          validUntil: 0,
          defaultMinutes: 60,
          description: 'é'.repeat(51),
          seed: new Uint8Array(16),
        }),
      ),
    ).toBe('invalid_description');
  });

  test('event codes: refused before an hour ahead of the start and after the end', () => {
    const from = Date.UTC(2026, 11, 1, 18, 0) / 60000;
    const until = Date.UTC(2026, 11, 1, 22, 0) / 60000;
    const v = parseVenueUrl(
      `https://h/v#${b64url(handPayload({ type: 7, flags: 2, from, until, minutes: 240, seed, desc: Buffer.from('Concert') }))}`,
    );
    const at = (h: number, m: number) => Date.UTC(2026, 11, 1, h, m) / 1000;
    expect(venueValidityProblem(v, at(16, 59))).toMatch(/not started/);
    expect(venueValidityProblem(v, at(17, 0))).toBeNull();
    expect(venueValidityProblem(v, at(22, 0))).toBeNull();
    expect(venueValidityProblem(v, at(22, 1))).toMatch(/over/);
  });
});

describe('check-ins for upload: the Corona-Warn-App derivation', () => {
  const s = (d: number, h: number, m: number) => Date.UTC(2026, 10, d, h, m) / 1000;
  const e = (d: number, h: number, m: number) => Date.UTC(2026, 10, d, h, m) / 600_000; // ENIN

  test('stays under 10 minutes are dropped', () => {
    expect(deriveUploadIntervals(s(20, 10, 3), s(20, 10, 12))).toEqual([]);
  });
  test('20 minutes (10:03–10:23) are extended by 20 to 10:43, then rounded out to 10:00–10:50', () => {
    expect(deriveUploadIntervals(s(20, 10, 3), s(20, 10, 23))).toEqual([{ startEnin: e(20, 10, 0), endEnin: e(20, 10, 50) }]);
  });
  test('2 hours (10:00–12:00) are extended by 30 minutes to 12:30', () => {
    expect(deriveUploadIntervals(s(20, 10, 0), s(20, 12, 0))).toEqual([{ startEnin: e(20, 10, 0), endEnin: e(20, 12, 30) }]);
  });
  test('23:35–00:20 (45 min → 00:50) is split at UTC midnight', () => {
    expect(deriveUploadIntervals(s(20, 23, 35), s(21, 0, 20))).toEqual([
      { startEnin: e(20, 23, 30), endEnin: e(21, 0, 0) },
      { startEnin: e(21, 0, 0), endEnin: e(21, 0, 50) },
    ]);
  });
});

describe('health codes at the gate', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
  const other = generateKeyPairSync('ed25519');
  const NOW = 1795000000;

  /** §8 payload built by hand, with a checkpoint signed by Node's Ed25519 over §9's head message. */
  function handCode(
    o: { status?: number; issuedAt?: number; computedAt?: number; signedAt?: number; key?: typeof privateKey; version?: number } = {},
  ) {
    const n = 42;
    const hash = createHash('sha256').update('batch 42').digest();
    const signedAt = o.signedAt ?? NOW - 3600;
    const msg = Buffer.alloc(9 + 4 + 32 + 4);
    msg.write('PrTC-HEAD');
    msg.writeUInt32LE(n, 9);
    hash.copy(msg, 13);
    msg.writeUInt32LE(signedAt, 45);
    const sig = nodeSign(null, msg, o.key ?? privateKey);
    const b = Buffer.alloc(114);
    b[0] = o.version ?? 1;
    b[1] = o.status ?? 0;
    b.writeUInt32LE(o.issuedAt ?? NOW - 5, 2);
    b.writeUInt32LE(o.computedAt ?? NOW - 60, 6);
    b.writeUInt32LE(n, 10);
    hash.copy(b, 14);
    b.writeUInt32LE(signedAt, 46);
    sig.copy(b, 50);
    return `PRTC-HC1:${b64url(b)}`;
  }
  const codes = (r: ReturnType<typeof verifyHealthCode>) => r.reasons.map((x) => x.code);

  test('a fresh genuine code is valid and shows its colour; our encoder writes the same bytes', () => {
    const text = handCode({ status: 2 });
    expect(verifyHealthCode(text, pub, NOW)).toEqual({ valid: true, status: 'red', issuedAt: NOW - 5, syncedAt: NOW - 3600, reasons: [] });
    expect(encodeHealthCode(decodeHealthCode(text))).toBe(text);
  });

  test('freshness is ±60 s: a screenshot goes stale, a code from the future is refused', () => {
    expect(verifyHealthCode(handCode({ issuedAt: NOW - 60 }), pub, NOW).valid).toBe(true);
    expect(codes(verifyHealthCode(handCode({ issuedAt: NOW - 61 }), pub, NOW))).toEqual(['stale_code']);
    expect(codes(verifyHealthCode(handCode({ issuedAt: NOW + 61 }), pub, NOW))).toEqual(['future_code']);
  });

  test('a phone that has not synced for more than 24 h is refused', () => {
    expect(verifyHealthCode(handCode({ signedAt: NOW - 86400 }), pub, NOW).valid).toBe(true);
    expect(codes(verifyHealthCode(handCode({ signedAt: NOW - 86401 }), pub, NOW))).toEqual(['sync_too_old']);
  });

  test('forged or altered checkpoints fail the signature; the reason is shown, several at once', () => {
    expect(codes(verifyHealthCode(handCode({ key: other.privateKey }), pub, NOW))).toEqual(['bad_signature']);
    const b = Buffer.from(handCode().slice(9), 'base64url');
    b[20] ^= 1; // a bit of the batch hash
    expect(codes(verifyHealthCode(`PRTC-HC1:${b64url(b)}`, pub, NOW))).toEqual(['bad_signature']);
    expect(codes(verifyHealthCode(handCode({ key: other.privateKey, issuedAt: NOW - 500, computedAt: NOW - 600 }), pub, NOW))).toEqual([
      'bad_signature',
      'stale_code',
    ]);
  });

  test('garbage, truncated, wrong-version and unknown-status codes give a reason, never a throw', () => {
    const good = handCode();
    expect(codes(verifyHealthCode('https://example.com/', pub, NOW))).toEqual(['not_a_health_code']);
    expect(codes(verifyHealthCode(good.slice(0, -4), pub, NOW))).toEqual(['invalid_health_code']);
    expect(codes(verifyHealthCode(good + 'AAAA', pub, NOW))).toEqual(['invalid_health_code']);
    expect(codes(verifyHealthCode('PRTC-HC1:***', pub, NOW))).toEqual(['invalid_health_code']);
    // version 2 carries the root (§15), version 3 a family member's place (§16); version 4 is not known yet
    expect(codes(verifyHealthCode(handCode({ version: 4 }), pub, NOW))).toEqual(['unsupported_version']);
    // a version-3 code must have its 116 bytes
    expect(codes(verifyHealthCode(handCode({ version: 3 }), pub, NOW))).toEqual(['invalid_health_code']);
    expect(codes(verifyHealthCode(handCode({ status: 3 }), pub, NOW))).toEqual(['invalid_health_code']);
    expect(codes(verifyHealthCode('PRTC-HC1:' + 'A'.repeat(5000), pub, NOW))).toEqual(['invalid_health_code']);
    for (const r of [verifyHealthCode('', pub, NOW), verifyHealthCode(good, new Uint8Array(3), NOW)]) expect(r.valid).toBe(false);
  });
});

test('a status computed after the code was issued is refused', () => {
  // (the device writes statusComputedAt ≤ issuedAt; a later one means an edited code or a broken clock)
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
  const now = 1795000000;
  const hash = Buffer.alloc(32, 9);
  const msg = Buffer.concat([Buffer.from('PrTC-HEAD'), Buffer.from([1, 0, 0, 0]), hash, Buffer.alloc(4)]);
  msg.writeUInt32LE(now - 10, 45);
  const b = Buffer.alloc(114);
  b[0] = 1;
  b.writeUInt32LE(now, 2);
  b.writeUInt32LE(now + 61, 6);
  b.writeUInt32LE(1, 10);
  hash.copy(b, 14);
  b.writeUInt32LE(now - 10, 46);
  nodeSign(null, msg, privateKey).copy(b, 50);
  expect(verifyHealthCode(`PRTC-HC1:${b.toString('base64url')}`, pub, now).reasons.map((r) => r.code)).toEqual(['status_after_issue']);
});
