/** The health code on screen (§8). */
import { useMemo } from 'react';
import { REFRESH_S } from '../../shared/protocol/healthcode';
import type { Device, DeviceView } from '../device';
import { qrDataUrl } from './qr';
import { useTicker } from './store';

/**
 * The health code as a QR image, made again every 30 s and whenever the status or checkpoint
 * changes; null before the first verified sync. With `memberId`: that family member's code (issue 32).
 */
export function useHealthCodeQr(device: Device, v: DeviceView, memberId?: string): string | null {
  const tick = useTicker(REFRESH_S * 1000);
  // a member's code changes with its status and its place, not with every emit (the list is derived afresh each time)
  const m = memberId === undefined ? undefined : v.members.find((x) => x.id === memberId);
  const memberKey = m ? `${m.id} ${m.status} ${m.position}/${m.count}` : memberId;
  const code = useMemo(() => device.healthCode(memberId), [device, tick, v.status, v.lastSyncAt, v.statusComputedAt, memberKey]);
  return useMemo(() => (code ? qrDataUrl(code) : null), [code]);
}
