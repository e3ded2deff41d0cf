/**
 * §15 the region list and its signed-configuration section, the root's tree beyond the one vector of
 * docs/protocol.md (every size, every leaf, every way a proof can be wrong), and the version-2 codes
 * (venue, health code) at their edges.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRegions } from '../../tools/gen-regions';
import {
  BUILD_REGIONS,
  findRegion,
  isRegionCode,
  parseRegionsSection,
  PROVINCES,
  provinceOf,
  regionsOfProvince,
  regionsSection,
} from '../../shared/regions';
import { merkleProof, merkleRoot, rootFromProof, rootMessage, type RootLeaf } from '../../shared/protocol/root';
import { encodeVenuePayload, parseVenueUrl, venueUrl } from '../../shared/protocol/venue';
import { decodeHealthCode, encodeHealthCode, verifyHealthCode } from '../../shared/protocol/healthcode';
import { publicKeyOf, sign } from '../../shared/protocol/signing';
import { toBase64url } from '../../shared/protocol/codec';

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

describe('the region list', () => {
  test('_list.gen.ts is exactly what tools/gen-regions.ts writes from the data package', () => {
    expect(readFileSync(join(__dirname, '../../shared/regions/_list.gen.ts'), 'utf8')).toBe(renderRegions());
  });

  test('341 prefecture-level regions of the 31 mainland provinces, ascending, each in its province', () => {
    // 333 prefecture-level divisions (293 cities, 7 prefectures, 30 autonomous prefectures, 3 leagues),
    // 4 municipalities and 4 groups of province-administered counties
    expect(BUILD_REGIONS).toHaveLength(341);
    expect(PROVINCES).toHaveLength(31);
    for (let k = 1; k < BUILD_REGIONS.length; k++) expect(BUILD_REGIONS[k].code).toBeGreaterThan(BUILD_REGIONS[k - 1].code);
    const provinces = new Set(PROVINCES.map((p) => p.code));
    for (const r of BUILD_REGIONS) {
      expect([r.code, isRegionCode(r.code), provinces.has(provinceOf(r.code))]).toEqual([r.code, true, true]);
      expect(r.zh.length).toBeGreaterThan(1);
    }
    expect(
      ['北京市', '天津市', '上海市', '重庆市'].map(
        (m) => findRegion(BUILD_REGIONS, provinceOf(PROVINCES.find((p) => p.zh === m)!.code))?.zh,
      ),
    ).toEqual(['北京市', '天津市', '上海市', '重庆市']);
    expect(findRegion(BUILD_REGIONS, 320500)?.zh).toBe('苏州市');
    expect(findRegion(BUILD_REGIONS, 441900)?.zh).toBe('东莞市');
    expect(findRegion(BUILD_REGIONS, 429000)?.zh).toContain('仙桃市');
    expect(findRegion(BUILD_REGIONS, 320000)).toBeNull(); // a province with prefectures is not itself a region
    expect(regionsOfProvince(BUILD_REGIONS, 320000)).toHaveLength(13); // Jiangsu's 13 prefecture-level cities
    expect(['810000', '820000', '710000'].some((c) => findRegion(BUILD_REGIONS, Number(c)))).toBe(false);
  });
});

describe('parseRegionsSection (the signed configuration, version 2)', () => {
  test('the built list as a section reads back as itself', () => {
    const json = JSON.parse(JSON.stringify(regionsSection(BUILD_REGIONS)));
    expect(parseRegionsSection(json)).toEqual(BUILD_REGIONS.map((r) => ({ ...r })));
    expect(parseRegionsSection([{ code: 810000, zh: '香港特别行政区', en: 'Hong Kong' }])).toEqual([
      { code: 810000, zh: '香港特别行政区', en: 'Hong Kong' },
    ]);
  });
  test.each([
    ['not an array', { code: 110000 }, 'config.regions'],
    ['empty', [], 'config.regions'],
    ['a row that is not an object', [[110000, '北京市']], 'config.regions[0]'],
    ['an unknown field', [{ code: 110000, zh: '北京市', pop: 1 }], 'config.regions[0].pop'],
    ['a county code', [{ code: 110101, zh: '东城区' }], 'config.regions[0].code'],
    ['a code as text', [{ code: '110000', zh: '北京市' }], 'config.regions[0].code'],
    ['seven digits', [{ code: 1100000, zh: 'x' }], 'config.regions[0].code'],
    [
      'out of order',
      [
        { code: 120000, zh: '天津市' },
        { code: 110000, zh: '北京市' },
      ],
      'config.regions[1].code',
    ],
    [
      'twice',
      [
        { code: 110000, zh: '北京市' },
        { code: 110000, zh: '北京市' },
      ],
      'config.regions[1].code',
    ],
    ['no name', [{ code: 110000 }], 'config.regions[0].zh'],
    ['a blank name', [{ code: 110000, zh: '  ' }], 'config.regions[0].zh'],
    ['an English name that is not text', [{ code: 110000, zh: '北京市', en: 5 }], 'config.regions[0].en'],
    ['a name too long', [{ code: 110000, zh: '北'.repeat(201) }], 'config.regions[0].zh'],
  ])('refuses %s, naming the field', (_why, value, field) => {
    expect(() => parseRegionsSection(value)).toThrow(expect.objectContaining({ code: 'invalid_config', field }));
  });
});

/** The root by its definition, recursively: an independent reading of §15 to hold the iterative code to. */
function referenceRoot(hashes: Uint8Array[]): Uint8Array {
  if (hashes.length === 1) return hashes[0];
  const up: Uint8Array[] = [];
  for (let k = 0; k < hashes.length; k += 2)
    up.push(k + 1 < hashes.length ? sha256(new Uint8Array([1]), hashes[k], hashes[k + 1]) : hashes[k]);
  return referenceRoot(up);
}

describe('the root (§15)', () => {
  const leavesOf = (count: number): RootLeaf[] =>
    Array.from({ length: count }, (_, k) => ({ region: 110000 + 100 * k, n: k + 1, hash: sha256(le32(k)) }));
  const leafHashOf = (l: RootLeaf) => sha256(new Uint8Array([0]), le32(l.region), le32(l.n), l.hash);

  test('for 1 to 40 leaves: the root is the definition, and every leaf proves its way to it', () => {
    for (let count = 1; count <= 40; count++) {
      const leaves = leavesOf(count);
      const root = merkleRoot(leaves);
      expect(Buffer.from(root).toString('hex')).toBe(Buffer.from(referenceRoot(leaves.map(leafHashOf))).toString('hex'));
      for (let k = 0; k < count; k++) {
        const p = merkleProof(leaves, k);
        expect(p.path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(count)));
        expect(rootFromProof(leaves[k], p, count)).toEqual(root);
      }
    }
  });

  test('a proof fails for another leaf, index, count, a changed or missing or extra hash', () => {
    const leaves = leavesOf(11);
    const root = merkleRoot(leaves);
    const p = merkleProof(leaves, 6);
    const other = (x: Uint8Array | null) => x === null || Buffer.compare(x, root) !== 0;
    expect(other(rootFromProof(leaves[6], p, 11))).toBe(false);
    expect(other(rootFromProof(leaves[5], p, 11))).toBe(true);
    expect(other(rootFromProof({ ...leaves[6], n: 8 }, p, 11))).toBe(true);
    expect(other(rootFromProof({ ...leaves[6], region: 999900 }, p, 11))).toBe(true);
    expect(other(rootFromProof(leaves[6], { ...p, index: 7 }, 11))).toBe(true);
    // the count fixes where a node moves up unpaired (it is signed with the root): the last leaf of
    // 11 has no partner at the bottom, the same index among 12 has one
    const last = merkleProof(leaves, 10);
    expect(other(rootFromProof(leaves[10], last, 11))).toBe(false);
    expect(rootFromProof(leaves[10], last, 12)).toBeNull();
    expect(other(rootFromProof(leaves[6], p, 7))).toBe(true);
    const changed = p.path.map((h) => h.slice());
    changed[1][0] ^= 1;
    expect(other(rootFromProof(leaves[6], { ...p, path: changed }, 11))).toBe(true);
    expect(rootFromProof(leaves[6], { ...p, path: p.path.slice(0, -1) }, 11)).toBeNull();
    expect(rootFromProof(leaves[6], { ...p, path: [...p.path, root] }, 11)).toBeNull();
    expect(rootFromProof(leaves[6], p, 0)).toBeNull();
    expect(rootFromProof(leaves[6], { ...p, index: 11 }, 11)).toBeNull();
    // the last leaf of 11 moves up unpaired at two levels (widths 11 and 3): two hashes, where leaf 0 needs four
    expect([merkleProof(leaves, 10).path.length, merkleProof(leaves, 0).path.length]).toEqual([2, 4]);
  });

  test('a leaf is never read as a node: two leaves cannot stand for their parent', () => {
    const leaves = leavesOf(4);
    const parent = sha256(new Uint8Array([1]), leafHashOf(leaves[0]), leafHashOf(leaves[1]));
    // a "leaf" whose hash input would equal the node's: the 0x00 prefix makes it a different hash
    expect(Buffer.compare(leafHashOf({ region: 0, n: 0, hash: parent }), parent)).not.toBe(0);
  });

  test('leaves out of order, twice the same region, or none are refused', () => {
    const leaves = leavesOf(3);
    expect(() => merkleRoot([leaves[1], leaves[0]])).toThrow(/ascending/);
    expect(() => merkleRoot([leaves[0], leaves[0]])).toThrow(/ascending/);
    expect(() => merkleRoot([])).toThrow(/at least one/);
  });
});

describe('version-2 codes at their edges', () => {
  const seed = new Uint8Array(16).fill(7);
  const fields = {
    venueType: 2,
    staff: false,
    event: false,
    validFrom: 0,
    validUntil: 0,
    defaultMinutes: 60,
    description: '街角咖啡馆',
    seed,
  };

  test('a venue code with a region is version 2, four bytes longer; without one it is version 1 as before', () => {
    const v1 = encodeVenuePayload(fields);
    const v2 = encodeVenuePayload({ ...fields, region: 320500 });
    expect([v1[0], v2[0], v2.length - v1.length]).toEqual([1, 2, 4]);
    expect(parseVenueUrl(venueUrl('h.example', v2)).region).toBe(320500);
    expect(parseVenueUrl(venueUrl('h.example', v1)).region).toBeNull();
    expect(() => encodeVenuePayload({ ...fields, region: 320501 })).toThrow(expect.objectContaining({ code: 'invalid_region' }));
  });

  test('a damaged version-2 venue code is refused with a reason', () => {
    const v2 = encodeVenuePayload({ ...fields, region: 320500 });
    const link = (b: Uint8Array) => venueUrl('h.example', b);
    expect(() => parseVenueUrl(link(v2.subarray(0, 33)))).toThrow(expect.objectContaining({ code: 'invalid_venue' }));
    expect(() => parseVenueUrl(link(new Uint8Array([...v2, 0])))).toThrow(/extra bytes/);
    const badRegion = v2.slice();
    badRegion.set(le32(320501), 29);
    expect(() => parseVenueUrl(link(badRegion))).toThrow(/region 320501/);
    const v3 = v2.slice();
    v3[0] = 3;
    expect(() => parseVenueUrl(link(v3))).toThrow(expect.objectContaining({ code: 'unsupported_version' }));
  });

  test('a health code with a root: a forged signature, a root of no chains, an unknown version', () => {
    const secret = new Uint8Array(32).fill(9);
    const pub = publicKeyOf(secret);
    const hash = sha256(le32(1));
    const root = { count: 5, hash, signedAt: 1_800_000_000, signature: sign(rootMessage(5, hash, 1_800_000_000), secret) };
    const claim = { status: 'red' as const, issuedAt: 1_800_000_100, statusComputedAt: 1_800_000_090 };
    const text = encodeHealthCode({ ...claim, root });
    expect(verifyHealthCode(text, pub, claim.issuedAt)).toMatchObject({ valid: true, status: 'red', syncedAt: root.signedAt });
    // the same bytes read as a version-1 code (the head message) do not verify: the versions cannot be swapped
    const bytes = Buffer.from(text.slice('PRTC-HC1:'.length), 'base64url');
    bytes[0] = 1;
    expect(verifyHealthCode(`PRTC-HC1:${toBase64url(bytes)}`, pub, claim.issuedAt).reasons.map((r) => r.code)).toEqual(['bad_signature']);
    expect(verifyHealthCode(encodeHealthCode({ ...claim, root: { ...root, count: 6 } }), pub, claim.issuedAt).valid).toBe(false);
    bytes[0] = 2;
    bytes.writeUInt32LE(0, 10);
    expect(() => decodeHealthCode(`PRTC-HC1:${toBase64url(bytes)}`)).toThrow(/no chains/);
    bytes[0] = 4; // version 3 is a family member's code (§16)
    expect(() => decodeHealthCode(`PRTC-HC1:${toBase64url(bytes)}`)).toThrow(expect.objectContaining({ code: 'unsupported_version' }));
  });
});
