/** The health code on screen (§8). */
import { useMemo } from 'react';
import { REFRESH_S } from '../../shared/protocol/healthcode';
import type { Device, DeviceView } from '../device';
import { qrDataUrl } from './qr';
import { useTicker } from './store';

/**
 * The health code as a QR image, made again every 30 s and whenever the status or checkpoint
 * changes; null before the first verified sync.
 */
export function useHealthCodeQr(device: Device, v: DeviceView): string | null {
  const tick = useTicker(REFRESH_S * 1000);
  const code = useMemo(() => device.healthCode(), [device, tick, v.status, v.lastSyncAt, v.statusComputedAt]);
  return useMemo(() => (code ? qrDataUrl(code) : null), [code]);
}
