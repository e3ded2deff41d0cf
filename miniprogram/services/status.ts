/**
 * The status engine: keeps what matching found (Bluetooth exposures, venue overlaps, a self-report)
 * and turns it into green / yellow / red with reasons, per §6, using the server's signed risk
 * configuration. Nothing here ever leaves the phone.
 */
import { DEFAULT_RISK_CONFIG, parseRiskConfig, type RiskConfig } from '../../shared/risk/config';
import { computeStatus, type BluetoothExposure, type Reason, type Status, type VenueExposure } from '../../shared/risk/status';
import { enin, retentionStart } from '../../shared/protocol/time';
import { DeviceStorage, isNum, isObj } from './storage';

export interface StatusState {
  status: Status;
  reasons: Reason[];
  computedAt: number | null;
  /** Batch number up to which every batch has been matched. */
  matchedThrough: number;
  exposures: BluetoothExposure[];
  venues: VenueExposure[];
  selfReportedAt: number | null;
}

const EMPTY: StatusState = {
  status: 'green',
  reasons: [],
  computedAt: null,
  matchedThrough: 0,
  exposures: [],
  venues: [],
  selfReportedAt: null,
};

export class StatusEngine {
  state: StatusState;
  private config: RiskConfig = DEFAULT_RISK_CONFIG;

  constructor(private storage: DeviceStorage) {
    this.state = storage.getJson<StatusState>('status', (v) =>
      isObj(v) &&
      ['green', 'yellow', 'red'].includes(v.status as string) &&
      Array.isArray(v.exposures) &&
      Array.isArray(v.venues) &&
      isNum(v.matchedThrough)
        ? (v as unknown as StatusState)
        : null,
    ) ?? { ...EMPTY };
    const cfgText = storage.getText('riskConfig');
    if (cfgText) {
      try {
        this.config = parseRiskConfig(cfgText);
      } catch {
        storage.remove('riskConfig');
      }
    }
  }

  get riskConfig(): RiskConfig {
    return this.config;
  }

  /** Stores a configuration whose signature the caller has verified. */
  setRiskConfig(json: string): void {
    this.config = parseRiskConfig(json);
    this.storage.setText('riskConfig', json);
  }

  addMatches(n: number, exposures: BluetoothExposure[], venues: VenueExposure[]): void {
    this.state.exposures.push(...exposures);
    this.state.venues.push(...venues);
    this.state.matchedThrough = Math.max(this.state.matchedThrough, n);
    this.save();
  }

  markSelfReported(nowS: number): void {
    this.state.selfReportedAt = nowS;
    this.save();
  }

  /** Recomputes the status at `nowS`, dropping what has aged out of the 14 days. */
  recompute(nowS: number): StatusState {
    const now = enin(nowS);
    const oldest = retentionStart(now);
    this.state.exposures = this.state.exposures.filter((e) => e.day >= oldest);
    this.state.venues = this.state.venues.filter((v) => v.day >= oldest);
    const r = computeStatus(
      {
        selfReportedAtEnin: this.state.selfReportedAt === null ? null : enin(this.state.selfReportedAt),
        bluetooth: this.state.exposures,
        venues: this.state.venues,
      },
      this.config,
      now,
    );
    this.state.status = r.status;
    this.state.reasons = r.reasons;
    this.state.computedAt = nowS;
    this.save();
    return this.state;
  }

  private save(): void {
    this.storage.setJson('status', this.state);
  }

  reset(): void {
    this.state = { ...EMPTY, exposures: [], venues: [] };
    this.config = DEFAULT_RISK_CONFIG;
  }
}
