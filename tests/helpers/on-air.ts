/**
 * What a simulated phone broadcasts, read as a scanner nearby reads it: the advertisement the
 * handset has on air (manufacturer data and service UUIDs) turned into the scan result WeChat hands
 * a scanning mini-program (`advertisData` with its company id in front), then the rpi in it (hex).
 */
import { decodeScanResult } from '../../shared/protocol/ble';
import { toHex } from '../../shared/protocol/codec';
import type { Phone } from './phones';

/** The rpi the phone has on air (hex), or null when it advertises nothing a PrTC scanner reads. */
export function onAir(p: Phone): string | null {
  const a = p.sim.onAir();
  if (!a) return null;
  const m = a.manufacturerData?.[0];
  const f = decodeScanResult({
    advertisData: m ? new Uint8Array([0xff, 0xff, ...new Uint8Array(m.manufacturerSpecificData)]).buffer : null,
    advertisServiceUUIDs: a.serviceUuids,
    RSSI: -50,
  });
  return f ? toHex(f.rpi) : null;
}
