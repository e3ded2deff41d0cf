/**
 * §4 BLE advertisement frames.
 *  - S (service-marked manufacturer data, what Android sends): serviceUuids [marker] and company
 *    0xFFFF with data = rpi(16) || aem(4) = 20 bytes. The marker in the service list is what
 *    background scanners filter for (iOS in the background, Android 8.1+ with the screen off); it
 *    replaces M's 3-byte magic, for which a 31-byte legacy packet has no room beside the marker
 *    (flags 3 + UUID list 4 + manufacturer data 2+2+20 = 31).
 *  - M (manufacturer data, sent by the previous release, still read): company 0xFFFF, data =
 *    "PT" || 0x01 || rpi(16) || aem(4) = 23 bytes.
 *  - U (service UUIDs, what iOS sends): [marker 16-bit UUID, 128-bit UUID whose bytes are the rpi]; no aem.
 * Encoding produces the host's `startAdvertising` request shape; decoding takes a host scan result
 * and returns null — never throws — for anything that is not one of our frames.
 */
import { PrtcError } from '../errors';
import { fromHex, toHex } from './codec';

export const MANUFACTURER_ID = '0xFFFF';
export const FRAME_MAGIC = Uint8Array.of(0x50, 0x54, 0x01);
export const FRAME_M_LENGTH = 23;
/** Frame S's manufacturer-specific data: rpi || aem, no magic (the marker UUID says what it is). */
export const FRAME_S_LENGTH = 20;
export const DEFAULT_MARKER_UUID = 'FFF7';

export type FrameKind = 'M' | 'U' | 'S';

/** The `advertiseRequest` of the host's BLEPeripheralServer.startAdvertising. */
export interface AdvertiseRequest {
  connectable: boolean;
  serviceUuids?: string[];
  manufacturerData?: { manufacturerId: string; manufacturerSpecificData: ArrayBuffer }[];
}

/** The fields of a host scan result (onBluetoothDeviceFound) that the scanner reads. */
export interface ScanResult {
  advertisData?: ArrayBuffer | null;
  advertisServiceUUIDs?: string[] | null;
  RSSI?: number;
}

export interface DecodedFrame {
  frame: FrameKind;
  rpi: Uint8Array;
  /** null for frame U, which has no room for the aem. */
  aem: Uint8Array | null;
  rssi: number;
}

export function rpiToUuid(rpi: Uint8Array): string {
  const h = toHex(rpi).toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const UUID_128 = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const BASE_UUID_SUFFIX = '-0000-1000-8000-00805F9B34FB';

export function uuidToRpi(uuid: string): Uint8Array | null {
  if (typeof uuid !== 'string' || !UUID_128.test(uuid)) return null;
  return fromHex(uuid.replace(/-/g, ''));
}

/** Normalises a 16-bit UUID given as "FFF7", "0xfff7" or in Bluetooth base-UUID form to "FFF7". */
function short16(uuid: string): string | null {
  if (typeof uuid !== 'string') return null;
  const u = uuid.toUpperCase();
  if (/^(0X)?[0-9A-F]{4}$/.test(u)) return u.slice(-4);
  if (UUID_128.test(u) && u.startsWith('0000') && u.endsWith(BASE_UUID_SUFFIX)) return u.slice(4, 8);
  return null;
}

/**
 * The marker as a full 128-bit UUID in the Bluetooth base form ("0000FFF7-0000-1000-8000-00805F9B34FB"),
 * for a scan filter: hosts take 16-bit UUIDs there too, but the base form is the one every host reads alike.
 */
export function markerFilterUuid(marker: string = DEFAULT_MARKER_UUID): string {
  return `0000${checkMarker(marker)}${BASE_UUID_SUFFIX}`;
}

function checkMarker(marker: string): string {
  const m = short16(marker);
  if (m === null) throw new PrtcError('invalid_marker', 'the marker must be a 16-bit UUID such as FFF7', 'marker');
  return m;
}

export function encodeFrame(
  kind: FrameKind,
  rpi: Uint8Array,
  aem: Uint8Array | null,
  marker: string = DEFAULT_MARKER_UUID,
): AdvertiseRequest {
  if (!(rpi instanceof Uint8Array) || rpi.length !== 16) throw new PrtcError('invalid_rpi', 'rpi must be 16 bytes', 'rpi');
  if (kind === 'M') {
    if (!(aem instanceof Uint8Array) || aem.length !== 4) throw new PrtcError('invalid_aem', 'frame M needs a 4-byte aem', 'aem');
    const data = new Uint8Array(FRAME_M_LENGTH);
    data.set(FRAME_MAGIC, 0);
    data.set(rpi, 3);
    data.set(aem, 19);
    return {
      connectable: false,
      manufacturerData: [{ manufacturerId: MANUFACTURER_ID, manufacturerSpecificData: data.buffer }],
    };
  }
  if (kind === 'U') {
    return { connectable: false, serviceUuids: [checkMarker(marker), rpiToUuid(rpi)] };
  }
  if (kind === 'S') {
    if (!(aem instanceof Uint8Array) || aem.length !== 4) throw new PrtcError('invalid_aem', 'frame S needs a 4-byte aem', 'aem');
    const data = new Uint8Array(FRAME_S_LENGTH);
    data.set(rpi, 0);
    data.set(aem, 16);
    return {
      connectable: false,
      serviceUuids: [checkMarker(marker)],
      manufacturerData: [{ manufacturerId: MANUFACTURER_ID, manufacturerSpecificData: data.buffer }],
    };
  }
  throw new PrtcError('invalid_frame', `unknown frame kind "${String(kind)}" (expected M or U)`, 'frame');
}

function validRssi(r: unknown): r is number {
  return typeof r === 'number' && Number.isInteger(r) && r >= -127 && r <= 20;
}

function startsWithMagic(b: Uint8Array, at: number): boolean {
  return b[at] === FRAME_MAGIC[0] && b[at + 1] === FRAME_MAGIC[1] && b[at + 2] === FRAME_MAGIC[2];
}

/**
 * Decodes a scan result. Frame S needs the marker among the service UUIDs and manufacturer data of
 * exactly 20 bytes, or 22 whose first two are the company id 0xFFFF little-endian. Frame M is
 * accepted with the magic at offset 0 (23 bytes) or after the company id (25 bytes); any other
 * length, magic, company id or version is rejected. Frame U needs the marker and exactly one other
 * 128-bit UUID that is not a Bluetooth-base UUID. Returns null for everything else.
 */
export function decodeScanResult(r: ScanResult, marker: string = DEFAULT_MARKER_UUID): DecodedFrame | null {
  try {
    if (!r || typeof r !== 'object' || !validRssi(r.RSSI)) return null;
    const ad = r.advertisData;
    const uuids = r.advertisServiceUUIDs;
    const m = short16(marker);
    const marked = m !== null && Array.isArray(uuids) && uuids.some((u) => short16(u) === m);
    if (marked && ad instanceof ArrayBuffer && ad.byteLength > 0) {
      const b = new Uint8Array(ad);
      const at = b.length === FRAME_S_LENGTH ? 0 : b.length === FRAME_S_LENGTH + 2 && b[0] === 0xff && b[1] === 0xff ? 2 : -1;
      if (at >= 0) return { frame: 'S', rpi: b.slice(at, at + 16), aem: b.slice(at + 16, at + 20), rssi: r.RSSI };
    }
    if (ad instanceof ArrayBuffer && ad.byteLength > 0) {
      const b = new Uint8Array(ad);
      let at = -1;
      if (b.length === FRAME_M_LENGTH && startsWithMagic(b, 0)) at = 0;
      else if (b.length === FRAME_M_LENGTH + 2 && b[0] === 0xff && b[1] === 0xff && startsWithMagic(b, 2)) at = 2;
      if (at >= 0) {
        return { frame: 'M', rpi: b.slice(at + 3, at + 19), aem: b.slice(at + 19, at + 23), rssi: r.RSSI };
      }
    }
    if (Array.isArray(uuids) && uuids.length >= 2 && uuids.length <= 3) {
      if (!marked) return null;
      const others = uuids.filter((u) => short16(u) === null);
      if (others.length !== 1) return null;
      const rpi = uuidToRpi(others[0]);
      if (rpi) return { frame: 'U', rpi, aem: null, rssi: r.RSSI };
    }
    return null;
  } catch {
    return null;
  }
}
