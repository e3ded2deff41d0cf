/**
 * The view model pages read: one observable `view`, presentation-ready in the user's language.
 * Every change goes through `emit(patch)`, which first takes what the services know now (`derive`)
 * and then the patch, so a page never shows a value a service has already moved past.
 */
import type { Reason, Status } from '../../shared/risk/status';
import type { HostErrorCode, Remedy } from '../host/errors';
import type { Features } from '../host/features';
import type { Language } from '../host/types';
import type { EngineName } from '../matching/engines';
import type { Checkin } from '../services/checkins';
import type { SyncProgress } from '../services/sync';
import type { OwnVenue } from '../services/venue-codes';

export type Page = 'home' | 'report' | 'exposure' | 'settings' | 'checkin' | 'gate' | 'history' | 'venues';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
  /** A sync's own notice, which the next sync replaces; other notices stay until their cause goes. */
  fromSync?: boolean;
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
  reasons: Reason[];
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
}

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

  emit(patch: Partial<DeviceView> = {}): void {
    this.view = { ...this.view, ...this.derive(), ...patch };
    for (const l of this.listeners) l(this.view);
  }
}
