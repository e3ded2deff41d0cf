/**
 * Reading a venue poster back without the project's code: the PNG through @napi-rs/canvas, its QR
 * through jsQR, and the link parsed from docs/protocol.md §7's byte layout.
 */
import { randomBytes } from 'node:crypto';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import jsQR from 'jsqr';
import { encodeVenuePayload, venueUrl, type VenueFields } from '../../shared/protocol/venue';

/**
 * §7: https://<host>/v#<base64url(payload)>; payload = 0x01 | type | flags | validFrom u32 LE | validUntil u32 LE | minutes u16 LE | seed 16 | len | UTF-8.
 * §15, version 0x02: the region (u32 LE) at 29..32 between the seed and len (then `region` is in the result).
 */
export function parseVenueLink(link: string) {
  const m = /^https:\/\/([^/]+)\/v#([A-Za-z0-9_-]+)$/.exec(link);
  if (!m) throw new Error(`not a §7 link: ${link}`);
  const b = Buffer.from(m[2], 'base64url');
  const head = b[0] === 0x02 ? 33 : 29;
  if (b.length !== head + 1 + b[head]) throw new Error(`a §7 payload of ${b.length} bytes announces a ${b[head]}-byte description`);
  return {
    ...(b[0] === 0x02 ? { region: b.readUInt32LE(29) } : {}),
    host: m[1],
    version: b[0],
    type: b[1],
    staff: (b[2] & 1) === 1,
    event: (b[2] & 2) === 2,
    validFrom: b.readUInt32LE(3),
    validUntil: b.readUInt32LE(7),
    minutes: b.readUInt16LE(11),
    name: b.subarray(head + 1).toString('utf8'),
  };
}

/** The QR text in a PNG (null when jsQR finds none) and the image's size. */
export async function qrOfPng(png: Uint8Array): Promise<{ text: string | null; width: number; height: number }> {
  const img = await loadImage(Buffer.from(png));
  const c = createCanvas(img.width, img.height);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const data = g.getImageData(0, 0, img.width, img.height);
  return { text: jsQR(new Uint8ClampedArray(data.data), img.width, img.height)?.data ?? null, width: img.width, height: img.height };
}

/**
 * A venue link as an owner's tool makes it (§7, version 0x01): an ordinary venue open at any time —
 * `venueType` 2 (restaurant), 60-minute visits and a fresh random seed unless given.
 */
export function venueLinkFor(description: string, fields: Partial<VenueFields & { seed: Uint8Array }> = {}): string {
  return venueUrl(
    'prtc.example',
    encodeVenuePayload({
      description,
      venueType: 2,
      staff: false,
      event: false,
      validFrom: 0,
      validUntil: 0,
      defaultMinutes: 60,
      seed: randomBytes(16),
      ...fields,
    }),
  );
}
