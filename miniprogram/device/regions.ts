/**
 * Regions (§15): the home region the user chooses (two pickers: province, then prefecture — never
 * the phone's location), the regions followed and their cost a day (in the view), and the regions
 * an upload names by default.
 */
import { PROVINCES, provinceOf, regionsOfProvince } from '../../shared/regions';
import type { DeviceCore } from './core';
import { done, refused, type Outcome } from './outcome';

export interface RegionChoice {
  code: number;
  name: string;
}

export class RegionActions {
  constructor(private readonly core: DeviceCore) {}

  /** The provinces of the list, in code order. */
  provinces(): RegionChoice[] {
    const list = this.core.regions.list();
    return PROVINCES.filter((p) => list.some((r) => provinceOf(r.code) === p.code)).map((p) => ({ code: p.code, name: p.zh }));
  }

  /** The regions of one province (a municipality: itself). */
  regionsOf(province: number): RegionChoice[] {
    return regionsOfProvince(this.core.regions.list(), province).map((r) => ({ code: r.code, name: r.zh }));
  }

  /** Chooses the home region (null forgets it); the phone follows it from the next check, which runs now. */
  setHome(code: number | null): Outcome {
    const core = this.core;
    try {
      core.regions.setHome(code);
    } catch {
      return refused('invalid_region', null);
    }
    core.emit({ message: code === null ? null : { kind: 'info', text: core.text('homeRegionSet', { region: core.regionName(code) }) } });
    return done(null);
  }

  /** What an upload names unless the user changes it: home, then the regions of venues visited (§15). */
  forUpload(): RegionChoice[] {
    const core = this.core;
    return core.regions.forUpload(core.checkins.checkins(), core.nowS()).map((code) => ({ code, name: core.regionName(code) }));
  }

  name(code: number): string {
    return this.core.regionName(code);
  }
}
