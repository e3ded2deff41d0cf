/**
 * §15 the regions this phone follows: the home region its user chose (never taken from location),
 * the regions of the venues it checked in at in the last 14 days (version-2 venue codes carry one),
 * and region 1 ("region not given"); without a home region, the national chain (region 0), as before
 * regions existed. An upload names the same regions, home first, at most 8 — the report page shows
 * them and the user may leave any out.
 *
 * The list of regions is the build's (shared/regions); a phone that verified the signed
 * configuration's `regions` section reads that one instead (`list`, passed in by the device).
 */
import { PrtcError } from '../../shared/errors';
import { ENIN_SECONDS, enin, retentionStart } from '../../shared/protocol/time';
import { BUILD_REGIONS, findRegion, MAX_UPLOAD_REGIONS, NATIONAL_REGION, UNKNOWN_REGION, type RegionList } from '../../shared/regions';
import type { Checkin } from './checkins';
import { DeviceStorage, isNum, isObj } from './storage';

interface RegionsRecord {
  home: number | null;
}

export class RegionsService {
  private record: RegionsRecord;

  constructor(
    private storage: DeviceStorage,
    readonly list: () => RegionList = () => BUILD_REGIONS,
  ) {
    this.record = storage.getJson('regions', (v) =>
      isObj(v) && (v.home === null || isNum(v.home)) ? (v as unknown as RegionsRecord) : null,
    ) ?? {
      home: null,
    };
  }

  /** The home region the user chose, while the list still has it. */
  get home(): number | null {
    const h = this.record.home;
    return h !== null && findRegion(this.list(), h) ? h : null;
  }

  /** Chooses (or, with null, forgets) the home region; a code the list does not have is refused. */
  setHome(code: number | null): void {
    if (code !== null && !findRegion(this.list(), code)) throw new PrtcError('invalid_region', `${code} is not a region of the list`);
    this.record = { home: code };
    this.storage.setJson('regions', this.record);
  }

  /** The list's name of a region, or null (a pseudo-region or a code the list does not have). */
  name(code: number): string | null {
    return findRegion(this.list(), code)?.zh ?? null;
  }

  /** Regions of venues checked in at since the retention window began, newest first, each once. */
  visited(checkins: readonly Checkin[], nowS: number): number[] {
    const since = retentionStart(enin(nowS)) * ENIN_SECONDS;
    const out: number[] = [];
    for (const c of [...checkins].sort((a, b) => b.checkInAt - a.checkInAt)) {
      const r = c.region;
      if (typeof r === 'number' && c.checkOutAt >= since && findRegion(this.list(), r) && !out.includes(r)) out.push(r);
    }
    return out;
  }

  /** The chains to follow now (§15). */
  followed(checkins: readonly Checkin[], nowS: number): number[] {
    const home = this.home;
    if (home === null) return [NATIONAL_REGION];
    return [home, ...this.visited(checkins, nowS).filter((r) => r !== home), UNKNOWN_REGION];
  }

  /** What an upload names unless the user changes it: home first, then the regions visited, at most 8. */
  forUpload(checkins: readonly Checkin[], nowS: number): number[] {
    const home = this.home;
    return [...(home === null ? [] : [home]), ...this.visited(checkins, nowS).filter((r) => r !== home)].slice(0, MAX_UPLOAD_REGIONS);
  }

  clear(): void {
    this.record = { home: null };
    this.storage.remove('regions');
  }
}
