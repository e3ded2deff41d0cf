/**
 * Printable venue posters (A4, SVG): the venue's QR code, its description, and one line telling
 * visitors to scan it in the mini-program. SVG prints sharply at any size and needs no native code.
 */
import qrcode from 'qrcode-generator';
import { VENUE_TYPES, type Venue } from '../shared/protocol/venue';

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Splits text into lines of at most `width` characters, at spaces where possible. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let w = word; w.length > 0;) {
      const room = line ? width - line.length - 1 : width;
      if (w.length <= room) {
        line = line ? `${line} ${w}` : w;
        w = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The QR modules as one SVG path (one unit per module), plus the module count. */
export function qrPath(text: string): { d: string; size: number } {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  let d = '';
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size;) {
      if (!qr.isDark(r, c)) {
        c++;
        continue;
      }
      let run = 1;
      while (c + run < size && qr.isDark(r, c + run)) run++;
      d += `M${c} ${r}h${run}v1h-${run}z`;
      c += run;
    }
  }
  return { d, size };
}

const minutesToText = (m: number) => new Date(m * 60_000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

export function posterSvg(link: string, venue: Venue): string {
  const { d, size } = qrPath(link);
  const qrMm = 140;
  const quiet = 4; // modules of white border, as the QR standard asks
  const scale = qrMm / (size + 2 * quiet);
  const x = (210 - qrMm) / 2;
  const title = wrap(venue.description, 30).slice(0, 4);
  const kind = venue.staff ? 'Staff check-in (covers a whole shift)' : (VENUE_TYPES[venue.venueType] ?? 'venue');
  const details: string[] = [kind.charAt(0).toUpperCase() + kind.slice(1)];
  if (venue.event)
    details.push(`${venue.validFrom ? minutesToText(venue.validFrom) : ''} – ${venue.validUntil ? minutesToText(venue.validUntil) : ''}`);
  let y = 28;
  const text: string[] = [];
  for (const l of title) {
    text.push(`<text x="105" y="${y}" font-size="11" font-weight="bold" text-anchor="middle">${escapeXml(l)}</text>`);
    y += 13;
  }
  for (const l of details) {
    text.push(`<text x="105" y="${y}" font-size="6" text-anchor="middle" fill="#444">${escapeXml(l)}</text>`);
    y += 8;
  }
  const qrY = Math.max(y + 2, 62);
  const foot = qrY + qrMm + 14;
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297" font-family="sans-serif">
<rect width="210" height="297" fill="#fff"/>
${text.join('\n')}
<g transform="translate(${x.toFixed(3)} ${qrY}) scale(${scale.toFixed(5)})"><rect width="${size + 2 * quiet}" height="${size + 2 * quiet}" fill="#fff"/><path transform="translate(${quiet} ${quiet})" d="${d}" fill="#000"/></g>
<text x="105" y="${foot}" font-size="7.5" text-anchor="middle">Scan this code in the PrTC health-code mini-program to check in.</text>
<text x="105" y="${foot + 9}" font-size="5.5" text-anchor="middle" fill="#444">Your visit is recorded only on your phone. If a visitor later tests positive, you are warned there.</text>
</svg>
`;
}
