/**
 * The status engine: green / yellow / red with reasons, per §6, from what sync matched (its
 * per-batch entries) and the user's own positive report, under the server's signed risk
 * configuration. The status is derived, never stored: a lost or damaged status cannot exist, and
 * computing it twice gives the same answer. Nothing here ever leaves the phone.
 */
import { DEFAULT_RISK_CONFIG, parseRiskConfig, type RiskConfig } from '../../shared/risk/config';
import { computeStatus, type BatchMatchesLike, type Reason, type Status } from '../../shared/risk/status';
import { enin } from '../../shared/protocol/time';
import { DeviceStorage, isNum, isObj } from './storage';

export interface StatusState {
  status: Status;
  reasons: Reason[];
  /** When it was last computed (Unix s); null before the first computation. */
  computedAt: number | null;
}

export class StatusEngine {
  state: StatusState = { status: 'green', reasons: [], computedAt: null };
  private config: RiskConfig = DEFAULT_RISK_CONFIG;
  /** When this user's own positive report was accepted (Unix s), if it was. */
  private selfReportedAt: number | null;

  constructor(private storage: DeviceStorage) {
    const cfgText = storage.getText('riskConfig');
    if (cfgText) {
      try {
        this.config = parseRiskConfig(cfgText);
      } catch {
        storage.remove('riskConfig');
      }
    }
    this.selfReportedAt = storage.getJson('report', (v) => (isObj(v) && isNum(v.selfReportedAt) ? (v.selfReportedAt as number) : null));
  }

  get riskConfig(): RiskConfig {
    return this.config;
  }

  /** Stores a configuration whose signature the caller has verified. */
  setRiskConfig(json: string): void {
    this.config = parseRiskConfig(json);
    this.storage.setText('riskConfig', json);
  }

  /** The server accepted this user's upload. */
  markSelfReported(nowS: number): void {
    this.storage.setJson('report', { selfReportedAt: nowS });
    this.selfReportedAt = nowS;
  }

  /** Computes the status at `nowS` from what matching found; exposures older than 14 days no longer count. */
  recompute(nowS: number, matched: BatchMatchesLike): StatusState {
    const r = computeStatus(
      {
        selfReportedAtEnin: this.selfReportedAt === null ? null : enin(this.selfReportedAt),
        bluetooth: matched.bluetooth,
        venues: matched.venues,
      },
      this.config,
      enin(nowS),
    );
    this.state = { status: r.status, reasons: r.reasons, computedAt: nowS };
    return this.state;
  }

  reset(): void {
    this.state = { status: 'green', reasons: [], computedAt: null };
    this.config = DEFAULT_RISK_CONFIG;
    this.selfReportedAt = null;
  }
}
