/**
 * Issue 31: the portal's "warn a venue" form, in the browser. A poster photo is decoded here (jsQR;
 * the image is never uploaded: the file input has no name and the form does not carry it), or the
 * link is pasted; the link's field has no name either, so only the hash and the region go to the
 * server, in hidden fields. The window is typed in the staff member's local time and sent as Unix
 * seconds.
 */
import jsQR from 'jsqr';
import { localToUnix, venueTarget } from '../../venue/client/venue-hash';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('warn');
const link = $<HTMLInputElement>('venue-link');
const photo = $<HTMLInputElement>('venue-photo');
const found = $('venue-found');
const hash = $<HTMLInputElement>('locationIdHash');
const region = $<HTMLInputElement>('region');

function show(): void {
  const t = venueTarget(link.value);
  hash.value = t?.hashHex ?? '';
  region.value = t?.region != null ? String(t.region) : '';
  found.textContent = link.value.trim() === '' ? '' : t ? `${found.dataset.ok} ${t.hashHex.slice(0, 16)}…` : (found.dataset.bad ?? '');
  found.className = t ? 'ok' : link.value.trim() === '' ? '' : 'error';
}

/** The QR code in a photo: drawn at most 1600 px wide (a phone's 12 MP photo decodes slowly and no better). */
async function decodePhoto(file: File): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const image = g.getImageData(0, 0, canvas.width, canvas.height);
  return jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

link.addEventListener('input', show);
photo.addEventListener('change', async () => {
  const file = photo.files?.[0];
  if (!file) return;
  found.textContent = found.dataset.reading ?? '';
  const text = await decodePhoto(file).catch(() => null);
  if (text === null) {
    found.textContent = found.dataset.noQr ?? '';
    found.className = 'error';
    return;
  }
  link.value = text;
  show();
});
form.addEventListener('submit', (e) => {
  show();
  const start = localToUnix($<HTMLInputElement>('from').value);
  const end = localToUnix($<HTMLInputElement>('until').value);
  $<HTMLInputElement>('start').value = start === null ? '' : String(start);
  $<HTMLInputElement>('end').value = end === null ? '' : String(end);
  if (!hash.value || start === null || end === null) {
    e.preventDefault();
    found.textContent = hash.value ? (found.dataset.window ?? '') : (found.dataset.bad ?? '');
    found.className = 'error';
  }
});
show();
