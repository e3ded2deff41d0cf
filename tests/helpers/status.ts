/**
 * The status engine's own reasons for a simulated phone, with their minutes: the view shows only
 * the coarse reasons (day, part of day, band, closeness), so tests that check the minutes matching
 * found recompute them from what the phone stored, under the default configuration.
 */
import { enin } from '../../shared/protocol/time';
import { DEFAULT_RISK_CONFIG } from '../../shared/risk/config';
import { computeStatus, type Reason } from '../../shared/risk/status';
import type { Phone } from './phones';

export function engineReasons(p: Phone): Reason[] {
  return computeStatus({ selfReportedAtEnin: null, ...p.device.sync.matched() }, DEFAULT_RISK_CONFIG, enin(p.device.nowS())).reasons;
}
