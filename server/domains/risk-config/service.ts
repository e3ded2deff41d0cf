/**
 * The signed configuration (§6): what `GET /v1/config` serves — version 1 (the risk fields) for
 * phones of earlier releases, version 2 (`?v=2`: serial, advice, later sections) for this one —,
 * checked and published by the operator (admin CLI `risk-config`, or the portal's advice form for
 * admins of the operator's realm). Every instance serves the newest publication in the database
 * (read at most once a second), signed with the batch-signing key; before the first publication it
 * serves the build's default, serial 1.
 */
import type { SignedConfigResponse } from '../../../shared/api/types';
import { toBase64url } from '../../../shared/protocol/codec';
import { configMessage } from '../../../shared/protocol/signing';
import { configV1Json, configV2Json, DEFAULT_CONFIG_V2, parseRiskConfigV2, type RiskConfigV2 } from '../../../shared/risk/config-v2';
import type { RegionList } from '../../../shared/regions';
import type { Clock } from '../../clock';
import type { Secrets } from '../../secrets';
import type { RiskConfigRepository, TxPart } from './repository';

const CURRENT_TTL_MS = 1000;

/** A publication as the history lists it. */
export interface Publication {
  serial: number;
  publishedAt: number;
  realmId: number | null;
  personId: number | null;
}

export function createRiskConfigService(deps: {
  repo: RiskConfigRepository;
  secrets: Secrets;
  clock: Clock;
  /** §15: the regions this server publishes by; every document it serves or publishes carries this list. */
  regions: RegionList;
}) {
  const { repo, secrets, clock, regions } = deps;
  let cached: { at: number; config: RiskConfigV2; json: string } | null = null;
  const signatures = new Map<string, string>();

  const sign = (json: string): SignedConfigResponse => {
    let signature = signatures.get(json);
    if (!signature) {
      signature = toBase64url(secrets.sign(configMessage(json)));
      if (signatures.size > 16) signatures.clear();
      signatures.set(json, signature);
    }
    return { configJson: json, signature };
  };

  async function current(): Promise<{ config: RiskConfigV2; json: string }> {
    if (cached && Date.now() - cached.at < CURRENT_TTL_MS) return cached;
    const row = await repo.latest();
    // a stored text is served exactly as stored: its signature covers these bytes
    const json = row ? row.json : configV2Json({ ...DEFAULT_CONFIG_V2, regions });
    cached = { at: Date.now(), config: parseRiskConfigV2(json), json };
    return cached;
  }

  return {
    /** The configuration in force: the newest publication, or the build's default. */
    current: async (): Promise<RiskConfigV2> => (await current()).config,

    /** What `GET /v1/config` answers: version 1 (the risk fields in version 1's order) or the whole version 2, signed. */
    async served(version: 1 | 2): Promise<SignedConfigResponse> {
      const c = await current();
      return sign(version === 2 ? c.json : configV1Json(c.config));
    },

    /**
     * Checks a document an operator wrote (serial and issuedAt may be left out: publishing sets
     * them). Throws PrtcError('invalid_config') naming the field. `unknownSections`: top-level
     * sections this server does not check, which it would serve as they are (for later releases).
     */
    check(json: string): { config: RiskConfigV2; unknownSections: string[] } {
      const config = parseRiskConfigV2(json, { draft: true });
      return { config, unknownSections: Object.keys(config.other ?? {}) };
    },

    /**
     * Publishes a checked document as the next serial, stamped with the time; `also(serial)` (an
     * audit row) commits with it. Phones take it at their next sync.
     */
    async publish(
      draft: RiskConfigV2,
      by: { realmId: number; personId: number } | null,
      also?: (serial: number) => TxPart,
    ): Promise<{ serial: number; issuedAt: number }> {
      const at = clock.now();
      const row = await repo.publish(
        DEFAULT_CONFIG_V2.serial,
        // the regions section is the server's own list (§15): what it validates uploads and publishes by
        (serial) => configV2Json({ ...draft, regions, serial, issuedAt: at }),
        { realmId: by?.realmId ?? null, personId: by?.personId ?? null, at },
        also,
      );
      cached = null;
      return { serial: row.serial, issuedAt: at };
    },

    publications: (limit = 50): Promise<Publication[]> => repo.history(limit),
  };
}

export type RiskConfigService = ReturnType<typeof createRiskConfigService>;
