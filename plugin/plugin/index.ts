/**
 * The plug-in's JS interface (plugin.json `main`), what requirePlugin('prtc') returns to the host
 * mini-program: the status this phone computed, never the keys, encounters or check-ins behind it.
 */
import { getDevice } from '../../miniprogram/ui/store';

export function getStatus(): { ready: boolean; status: 'green' | 'yellow' | 'red'; reasons: number; acceptedUntil: number | null } {
  const d = getDevice();
  void d.start();
  const v = d.view;
  return { ready: v.ready, status: v.status, reasons: v.reasons.length, acceptedUntil: v.acceptedUntil };
}
