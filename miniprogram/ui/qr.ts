/** A QR code as a data URL, drawn with the maintained qrcode-generator library. */
import qrcode from 'qrcode-generator';

export function qrDataUrl(text: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  return qr.createDataURL(4, 4);
}
