/**
 * The gate scans a visitor's code: the playground reads the health code the visitor's page shows
 * (its QR image, `#qr` on the home page) and hands it to the gate phone's camera — the code passes
 * through the page, as it passes through the air between two screens, not through a back door
 * into the visitor's device. jsQR decodes it, as tests/simulator read posters back.
 */
import jsQR from 'jsqr';

/** The text of the QR code the frame's page shows under `selector`, or null when there is none. */
export async function readShownQr(doc: Document, selector = '#qr'): Promise<string | null> {
  const host = doc.querySelector(selector);
  const img = (host?.tagName === 'IMG' ? host : host?.querySelector('img')) as HTMLImageElement | null | undefined;
  if (!img?.src) return null;
  const image = new Image();
  image.src = img.src;
  await image.decode();
  // a quiet zone around the code, as a camera would see it against the screen
  const pad = 16;
  const canvas = new OffscreenCanvas(image.naturalWidth + 2 * pad, image.naturalHeight + 2 * pad);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(image, pad, pad);
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return jsQR(pixels.data, pixels.width, pixels.height)?.data ?? null;
}
