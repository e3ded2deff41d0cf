/**
 * The view model pages read: one observable `view`, presentation-ready in the user's language.
 * Every change goes through `emit(patch)`, which first takes what the services know now (`derive`)
 * and then the patch, so a page never shows a value a service has already moved past.
 */
import type { AdviceEntry } from '../../shared/risk/advice';
import type { ExplainedReason } from '../../shared/risk/explain';
import type { Status } from '../../shared/risk/status';
import type { HostErrorCode, Remedy } from '../host/errors';
import type { Features } from '../host/features';
import type { BackgroundUnavailable, Language } from '../host/types';
import type { EngineName } from '../matching/engines';
import type { Checkin } from '../services/checkins';
import type { MemberColour } from '../services/members';
import type { SyncProgress } from '../services/sync';
import type { OwnVenue } from '../services/venue-codes';

/**
 * A reason as the pages show it: explained (shared/risk/explain.ts), naming its region (§15); a venue
 * warning with a level (issue 31) also with the level's advice from the signed configuration and the
 * authority's sentence, both in the phone's language.
 */
export type ShownReason = ExplainedReason & { regionName?: string; levelAdvice?: AdviceEntry; authorityText?: string };

export type Page = 'home' | 'report' | 'exposure' | 'settings' | 'checkin' | 'gate' | 'history' | 'venues' | 'diary' | 'move';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
  /** A sync's own notice, which the next sync replaces; other notices stay until their cause goes. */
  fromSync?: boolean;
}

/**
 * Background tracing as the pages explain it (issue 28): whether this host can do it (and why not),
 * whether the user wants it, whether it runs, and what stops it.
 */
export interface BackgroundView {
  /** Why this host cannot, or null when it can (host/types.ts BackgroundUnavailable). */
  unavailable: BackgroundUnavailable | null;
  /** The user's setting. */
  wanted: boolean;
  /** The host keeps tracing running in the background now. */
  running: boolean;
  /** What refused it (the user's location setting, the build), with the one thing to do. */
  problem: Problem | null;
  /** Wanted, tracing on, nothing refused — yet not running: the host stopped it. */
  stopped: boolean;
  /** Others can read this phone's beacon in the background (Android) or not (iOS: the overflow area). */
  beaconReadable: boolean;
}

/** A host problem as the user sees it: what is wrong, and the one thing to do about it. */
export interface Problem {
  code: HostErrorCode;
  text: string;
  remedy: Remedy;
  /** The label of the button that applies the remedy; null when there is nothing to tap. */
  action: string | null;
}

export interface DeviceView {
  ready: boolean;
  lang: Language;
  consent: boolean;
  tracing: boolean;
  /** The user wants tracing (it may be paused in the background or blocked by `bluetoothError`). */
  tracingWanted: boolean;
  status: Status;
  /** Why, as coarse as the user may read it (shared/risk/explain.ts): day, part of day, duration band, closeness; each naming the region whose chain carried it (§15). */
  reasons: ShownReason[];
  statusComputedAt: number | null;
  lastSyncAt: number | null;
  /** A verified key list is held (the health code can be shown); false after a sync that found none published yet. */
  hasCheckpoint: boolean;
  syncing: boolean;
  progress: SyncProgress | null;
  /** After a failed sync: when the phone tries again by itself (Unix s). */
  nextRetryAt: number | null;
  /** Until when gates accept this phone's health code (Unix s): its checkpoint's signedAt + 24 h (§8). */
  acceptedUntil: number | null;
  /** Fewer than four hours left: the home page asks for a sync. */
  expiresSoon: boolean;
  message: Notice | null;
  /** What was found damaged in storage, one sentence per item, with what it means for the user. */
  damage: string[];
  bluetoothError: Problem | null;
  /** A privacy-scoped API waits for the user's agreement to the privacy guide. */
  privacyPrompt: boolean;
  keySource: 'build' | 'server' | null;
  encounters: number;
  /** Check-ins of the last 14 days, newest first. */
  checkins: Checkin[];
  /** The check-in in progress, if any. */
  currentCheckin: Checkin | null;
  /** Venue codes this phone's owner made (pages/venues), newest first. */
  ownVenues: OwnVenue[];
  /** What this host lets the mini-program do (host/features.ts); pages say what is off and why. */
  features: Features;
  /** Tracing is on and this phone's beacon is on air (false while it only listens). */
  broadcasting: boolean;
  /** Where the last sync matched the keys, and with which engine (settings says it). */
  matchedBy: { where: 'worker' | 'page'; engine: EngineName } | null;

  // ---- background tracing and the home page's "is it working" panel (issue 28)
  /** How tracing runs: off, while the mini-program is open, or also in the background. */
  tracingMode: 'off' | 'foreground' | 'background';
  background: BackgroundView;
  /** Seconds tracing ran today (the phone's local day). */
  tracingSecondsToday: number;
  /** The most phones nearby at once today (each changes its rpi every 10 minutes; no phone is told from another). */
  nearbyToday: number;
  /** No successful check for 36 hours (services/schedule.ts): the home page warns. */
  checkOverdue: boolean;
  // ---- regions (issue 30, docs/protocol.md §15)
  /** The home region the user chose; null: none (the phone follows the national chain). */
  homeRegion: { code: number; name: string } | null;
  /** The chains followed now, home first, with what each cost a day (bytes, the server's figure; null before a sync). */
  followedRegions: { code: number; name: string; bytesPerDay: number | null }[];

  // ---- the explained status (issue 29): until when, the authority's advice, the configuration in force
  /** If nothing new is found: when the current level ends (Unix s; red may become yellow first), and when the code is green again; null while green. */
  levelUntil: number | null;
  greenAt: number | null;
  /** The health authority's advice for the current status, in the user's language (signed configuration §6, or the build's). */
  advice: AdviceEntry;
  /** The serial of the signed configuration in force; 0 while the phone holds none of version 2 (the app's own advice). */
  configSerial: number;
  /** How many days after its day an exposure counts (signed configuration §6): what turns the code green. */
  exposureDays: number;
  /** The last configuration the server sent was refused, and why (until one is kept). */
  configRefused: ConfigRefusal | null;

  // ---- family members on this phone (issue 32)
  /** Each member, in the order added, with the status of what happened while it was with the phone. */
  members: MemberView[];
}

/**
 * A family member as pages show it (issue 32): a nickname and a colour only; its status by the user's
 * own rules over what this phone recorded while the member was with it (never greener than that);
 * the periods away, which its code cannot know about.
 */
export interface MemberView {
  id: string;
  nickname: string;
  colour: MemberColour;
  /** 1-based place among the members (the gate reads "member 1 of 3 on this phone"), and how many there are. */
  position: number;
  count: number;
  status: Status;
  reasons: ExplainedReason[];
  greenAt: number | null;
  /** Marked "not with me" now. */
  awayNow: boolean;
  /** Periods away that still touch the days the status looks back on, newest first (`to` null: still away). */
  awayPeriods: { from: number; to: number | null }[];
}

/** Why the phone refused a configuration: its signature failed, it did not parse, or its serial was lower than the one held. */
export type ConfigRefusal = 'bad_signature' | 'invalid' | 'rollback';

/** The part of the view the services hold: read afresh at every emit. */
export type Derived = Pick<
  DeviceView,
  | 'status'
  | 'reasons'
  | 'statusComputedAt'
  | 'lastSyncAt'
  | 'hasCheckpoint'
  | 'tracing'
  | 'broadcasting'
  | 'matchedBy'
  | 'tracingWanted'
  | 'keySource'
  | 'checkins'
  | 'currentCheckin'
  | 'ownVenues'
  | 'nextRetryAt'
  | 'acceptedUntil'
  | 'expiresSoon'
  | 'tracingMode'
  | 'background'
  | 'tracingSecondsToday'
  | 'nearbyToday'
  | 'checkOverdue'
  | 'homeRegion'
  | 'followedRegions'
  // the explained status (issue 29)
  | 'levelUntil'
  | 'greenAt'
  | 'advice'
  | 'configSerial'
  | 'exposureDays'
  | 'members'
>;

export class ViewStore {
  view: DeviceView;
  private listeners = new Set<(v: DeviceView) => void>();

  constructor(
    initial: DeviceView,
    private readonly derive: () => Derived,
  ) {
    this.view = initial;
  }

  subscribe(fn: (v: DeviceView) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The pages listening to this store listen to `next` from now on (the device was rebuilt over new data). */
  handOver(next: ViewStore): void {
    for (const l of this.listeners) next.listeners.add(l);
    this.listeners.clear();
  }

  emit(patch: Partial<DeviceView> = {}): void {
    this.view = { ...this.view, ...this.derive(), ...patch };
    for (const l of this.listeners) l(this.view);
  }
}
