/**
 * The status engine: green / yellow / red with reasons, per §6, from what sync matched (its
 * per-batch entries) and the user's own positive report, under the server's signed risk
 * configuration. The status is derived, never stored: a lost or damaged status cannot exist, and
 * computing it twice gives the same answer. Nothing here ever leaves the phone.
 *
 * The engine keeps the last verified configuration (version 1 from an earlier release, or version
 * 2 with its serial and the authority's advice) and refuses one with a lower serial (a rollback).
 * The reasons it hands out are the coarse ones the user reads (shared/risk/explain.ts), with when
 * each stops counting and when the status turns green again if nothing new is found.
 */
import { DEFAULT_RISK_CONFIG, type RiskParams } from '../../shared/risk/config';
import { adviceOf, parseAnyRiskConfig, serialOf, type AnyRiskConfig, regionsOf, venueRulesOf } from '../../shared/risk/config-v2';
import type { VenueRules } from '../../shared/risk/venue-rules';
import type { Advice } from '../../shared/risk/advice';
import { explainReason, type ExplainedReason } from '../../shared/risk/explain';
import { computeStatus, type BatchMatchesLike, type Status } from '../../shared/risk/status';
import { enin, ENIN_SECONDS } from '../../shared/protocol/time';
import type { RegionList } from '../../shared/regions';
import { DeviceStorage, isNum, isObj } from './storage';

export interface StatusState {
  status: Status;
  reasons: ExplainedReason[];
  /** When it was last computed (Unix s); null before the first computation. */
  computedAt: number | null;
  /** If nothing new is found: when the current level ends (Unix s), and when the status is green again; null while green. */
  levelUntil: number | null;
  greenAt: number | null;
}

/** What became of a configuration offered to the engine (its signature already verified). */
export type ConfigOffer = 'accepted' | 'unchanged' | 'rollback';

const GREEN: StatusState = { status: 'green', reasons: [], computedAt: null, levelUntil: null, greenAt: null };

export class StatusEngine {
  state: StatusState = GREEN;
  private config: AnyRiskConfig = DEFAULT_RISK_CONFIG;
  private configText: string | null = null;
  /** When this user's own positive report was accepted (Unix s), if it was. */
  private selfReportedAt: number | null;

  constructor(private storage: DeviceStorage) {
    const cfgText = storage.getText('riskConfig');
    if (cfgText) {
      try {
        this.config = parseAnyRiskConfig(cfgText);
        this.configText = cfgText;
      } catch {
        storage.remove('riskConfig');
      }
    }
    this.selfReportedAt = storage.getJson('report', (v) => (isObj(v) && isNum(v.selfReportedAt) ? (v.selfReportedAt as number) : null));
  }

  /** The risk fields of the configuration in force. */
  get riskConfig(): RiskParams {
    return this.config;
  }

  /** The serial of the configuration in force: 0 for the build's own or a version-1 one. */
  get configSerial(): number {
    return serialOf(this.config);
  }

  /** The authority's advice in force (the build's until a version-2 configuration arrived). */
  get advice(): Advice {
    return adviceOf(this.config);
  }

  /** Issue 31: venue warnings' thresholds per venue type and their levels' status and advice (the build's until a configuration carries them). */
  get venueRules(): VenueRules {
    return venueRulesOf(this.config);
  }

  /** §15: the region list of the verified configuration, or null where it carries none (the build's list then). */
  get regions(): RegionList | null {
    return regionsOf(this.config);
  }

  /**
   * A configuration whose signature the caller verified: kept if its serial is not below the one
   * held (a version-1 text counts as serial 0), refused as a rollback otherwise. Throws
   * PrtcError('invalid_config') for one that does not parse; nothing changes then.
   */
  offerConfig(json: string): ConfigOffer {
    const next = parseAnyRiskConfig(json);
    if (serialOf(next) < this.configSerial) return 'rollback';
    if (json === this.configText) return 'unchanged';
    this.storage.setText('riskConfig', json);
    this.config = next;
    this.configText = json;
    return 'accepted';
  }

  /** The server accepted this user's upload. */
  markSelfReported(nowS: number): void {
    this.storage.setJson('report', { selfReportedAt: nowS });
    this.selfReportedAt = nowS;
  }

  /** Computes the status at `nowS` from what matching found; exposures older than `exposureDays` no longer count. */
  recompute(nowS: number, matched: BatchMatchesLike): StatusState {
    this.state = this.evaluate(nowS, matched, this.selfReportedAt);
    return this.state;
  }

  /**
   * The same rules under the same configuration for someone else this phone holds (a family member,
   * issue 32): from the matches given, without this user's own report; nothing is kept.
   */
  statusOf(nowS: number, matched: BatchMatchesLike): StatusState {
    return this.evaluate(nowS, matched, null);
  }

  private evaluate(nowS: number, matched: BatchMatchesLike, selfReportedAt: number | null): StatusState {
    const r = computeStatus(
      {
        selfReportedAtEnin: selfReportedAt === null ? null : enin(selfReportedAt),
        bluetooth: matched.bluetooth,
        venues: matched.venues,
      },
      this.config,
      enin(nowS),
      this.venueRules,
    );
    const at = (e: number | null) => (e === null ? null : e * ENIN_SECONDS);
    return {
      status: r.status,
      reasons: r.reasons.map((x) => explainReason(x, this.config)),
      computedAt: nowS,
      levelUntil: at(r.levelUntilEnin),
      greenAt: at(r.greenAtEnin),
    };
  }

  /**
   * Computes again (time passed: a reason may have stopped counting) and keeps the result only if it
   * differs, so `computedAt` stays the moment the status on screen was computed. True when it changed.
   */
  refresh(nowS: number, matched: BatchMatchesLike): boolean {
    const before = this.state;
    const after = this.recompute(nowS, matched);
    const same = (x: StatusState) => JSON.stringify([x.status, x.reasons, x.levelUntil, x.greenAt]);
    if (before.computedAt !== null && same(before) === same(after)) {
      this.state = before;
      return false;
    }
    return true;
  }

  reset(): void {
    this.state = GREEN;
    this.config = DEFAULT_RISK_CONFIG;
    this.configText = null;
    this.selfReportedAt = null;
  }
}
