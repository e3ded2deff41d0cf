/**
 * Reading a venue poster back without the project's code: the PNG through @napi-rs/canvas, its QR
 * through jsQR, and the link parsed from docs/protocol.md §7's byte layout.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import jsQR from 'jsqr';

/** §7: https://<host>/v#<base64url(payload)>; payload = 0x01 | type | flags | validFrom u32 LE | validUntil u32 LE | minutes u16 LE | seed 16 | len | UTF-8. */
export function parseVenueLink(link: string) {
  const m = /^https:\/\/([^/]+)\/v#([A-Za-z0-9_-]+)$/.exec(link);
  if (!m) throw new Error(`not a §7 link: ${link}`);
  const b = Buffer.from(m[2], 'base64url');
  if (b.length !== 30 + b[29]) throw new Error(`a §7 payload of ${b.length} bytes announces a ${b[29]}-byte description`);
  return {
    host: m[1],
    version: b[0],
    type: b[1],
    staff: (b[2] & 1) === 1,
    event: (b[2] & 2) === 2,
    validFrom: b.readUInt32LE(3),
    validUntil: b.readUInt32LE(7),
    minutes: b.readUInt16LE(11),
    name: b.subarray(30).toString('utf8'),
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
