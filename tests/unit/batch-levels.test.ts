/**
 * Issue 31, §9 "Levels": the "PrTCB003" body's decoder is strict and the encoder keeps the old
 * magics for batches without a level. Every refused body below is the hand-written vector of
 * docs/protocol.md §14 (batch-levels) with bytes changed at offsets counted from its table.
 */
import { decodeBatch, encodeBatch, type VenueWarning } from '../../shared/protocol/batch';
import { PrtcError } from '../../shared/errors';

const H = '3fbc0a48b0f333eb721bee243f9178804d1efc507b4ff4829b6bdf395a7c2852';
const NOTE = Buffer.from('{"tel":"+86 12320","text":{"en":"Get a test today."}}', 'utf8');
// the vector's body: header 60 bytes, warning 0 at 60 (44 bytes), warning 1 at 104 (44 + 53 bytes)
const HEADER =
  '5072544342303033' +
  '00000000' +
  '03000000' +
  'a7340e0097dbb482be5372957d7901167660060a9d4a2c1440fcb199637143c0' +
  '10b3b469' +
  '00000000' +
  '02000000';
const W0 = H + '2c192d00' + '4a192d00' + '00' + '00' + '0000';
const W1 = H + '50192d00' + 'e0192d00' + '01' + '02' + '3500' + NOTE.toString('hex');
const body = () => Buffer.from(HEADER + W0 + W1, 'hex');
const SRC1 = 60 + 44 + 40;
const LVL1 = SRC1 + 1;

function refused(b: Uint8Array): string {
  try {
    decodeBatch(b);
  } catch (e) {
    expect(e).toBeInstanceOf(PrtcError);
    expect((e as PrtcError).code).toBe('invalid_batch');
    return (e as PrtcError).message;
  }
  throw new Error('decoded a body it should refuse');
}

describe('the "PrTCB003" decoder', () => {
  test('the vector decodes, with source, level and note; the visitor has none', () => {
    const d = decodeBatch(body());
    expect(d.n).toBe(3);
    expect(d.region).toBe(0);
    expect(d.warnings[0]).toEqual({ locationIdHash: expect.anything(), startEnin: 2955564, endEnin: 2955594 });
    expect(d.warnings[1]).toMatchObject({ source: 'authority', level: 'test', tel: '+86 12320', text: { en: 'Get a test today.' } });
  });
  test('an unknown source or level, a visitor with a level, an authority without one', () => {
    const b = body();
    b[SRC1] = 3;
    expect(refused(b)).toMatch(/source 3/);
    const c = body();
    c[LVL1] = 4;
    expect(refused(c)).toMatch(/level 4/);
    const d = body();
    d[60 + 41] = 1; // warning 0 (a visitor) with level inform
    expect(refused(d)).toMatch(/visitor/);
    const e = body();
    e[LVL1] = 0;
    expect(refused(e)).toMatch(/visitor has no level/);
  });
  test('a note that is not the canonical JSON, or too long, or cut short', () => {
    const spaced = Buffer.from('{"tel": "+86 12320"}', 'utf8'); // a space after the colon
    const withSpace = Buffer.concat([
      Buffer.from(HEADER + W0 + H + '50192d00e0192d000102', 'hex'),
      Buffer.from([spaced.length, 0]),
      spaced,
    ]);
    expect(refused(withSpace)).toMatch(/canonical/);
    const reordered = Buffer.from('{"text":{"en":"Hi."},"tel":"+86 12320"}', 'utf8');
    expect(
      refused(Buffer.concat([Buffer.from(HEADER + W0 + H + '50192d00e0192d000102', 'hex'), Buffer.from([reordered.length, 0]), reordered])),
    ).toMatch(/canonical/);
    const other = Buffer.from('{"name":"Cafe"}', 'utf8');
    expect(
      refused(Buffer.concat([Buffer.from(HEADER + W0 + H + '50192d00e0192d000102', 'hex'), Buffer.from([other.length, 0]), other])),
    ).toMatch(/no member name/);
    const empty = Buffer.from('{}', 'utf8');
    expect(refused(Buffer.concat([Buffer.from(HEADER + W0 + H + '50192d00e0192d000102', 'hex'), Buffer.from([2, 0]), empty]))).toMatch(
      /canonical/,
    );
    const long = body();
    long.writeUInt16LE(1025, SRC1 + 2);
    expect(refused(long)).toMatch(/too long/);
    expect(refused(body().subarray(0, body().length - 1))).toMatch(/truncated/);
    expect(refused(Buffer.concat([body(), Buffer.from([0])]))).toMatch(/trailing/);
  });
  test('"PrTCB003" with only a visitor\'s warning is refused: the encoder writes "PrTCB001" for it', () => {
    const b = Buffer.from(HEADER.replace('02000000', '01000000').slice(0) + W0, 'hex');
    expect(refused(b)).toMatch(/PrTCB003/);
  });
});

describe('the encoder keeps the old magics without levels (the transition)', () => {
  const visitor: VenueWarning = { locationIdHash: Buffer.from(H, 'hex'), startEnin: 2955564, endEnin: 2955594 };
  const base = { n: 3, prevHash: new Uint8Array(32), createdAt: 1773450000, days: [] };
  test('national: "PrTCB001", 40 bytes a warning; a region: "PrTCB002"', () => {
    const national = encodeBatch({ ...base, warnings: [visitor] });
    expect(Buffer.from(national.subarray(0, 8)).toString()).toBe('PrTCB001');
    expect(national.length).toBe(56 + 40);
    const regional = encodeBatch({ ...base, region: 110100, warnings: [visitor] });
    expect(Buffer.from(regional.subarray(0, 8)).toString()).toBe('PrTCB002');
  });
  test('one warning with a level switches the whole body, in a region too', () => {
    const owner: VenueWarning = { ...visitor, source: 'owner', level: 'isolate' };
    const b = encodeBatch({ ...base, region: 110100, warnings: [visitor, owner] });
    expect(Buffer.from(b.subarray(0, 12)).toString('hex')).toBe(Buffer.from('PrTCB003').toString('hex') + '14ae0100'); // 110100 = 0x01ae14
    // the owner's warning: source 2, level 3, no note
    expect(Buffer.from(b.subarray(b.length - 4)).toString('hex')).toBe('02030000');
    expect(b.length).toBe(60 + 44 + 44);
    const d = decodeBatch(b);
    expect(d.region).toBe(110100);
    expect(d.warnings[1]).toMatchObject({ source: 'owner', level: 'isolate' });
  });
  test('the encoder refuses what the decoder would', () => {
    const bad = (w: Partial<VenueWarning>) => () => encodeBatch({ ...base, warnings: [{ ...visitor, ...w }] });
    expect(bad({ level: 'test' })).toThrow(/visitor/);
    expect(bad({ source: 'authority' })).toThrow(/carries a level/);
    expect(bad({ source: 'authority', level: 'test', tel: 'call us' })).toThrow(/tel/);
    expect(bad({ source: 'authority', level: 'test', text: { en: ' padded ' } })).toThrow(/text.en/);
    expect(bad({ source: 'authority', level: 'test', text: { en: 'x'.repeat(1100) } })).toThrow(/1024/);
    expect(bad({ source: 'authority', level: 'panic' as 'test' })).toThrow(/level/);
  });
});
