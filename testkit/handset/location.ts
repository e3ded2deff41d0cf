/**
 * Background location on the simulated handset (wx.startLocationUpdateBackground, base library 2.8.0),
 * the part of WeChat that keeps a mini-program's JavaScript running in the background:
 * - the API exists from base library 2.8.0, wx.onLocationChangeError from 2.19.5;
 * - it is a privacy-scoped API (the privacy guide's location entry: scopes.ts gates it);
 * - it fails unless app.json's requiredPrivateInfos declares it (rules.requiredPrivateInfos), and
 *   onLocationChange delivers nothing unless that is declared too (both are among the eight location
 *   APIs of 地理位置接口新增与相关流程调整);
 * - scope.userLocationBackground raises no prompt: the user sets "位置信息" to "使用小程序期间和离开小程序后"
 *   on the settings page; until then the call fails "auth deny" (rules.backgroundScopeInSettingsOnly,
 *   authorize.html 后台定位); "使用小程序期间" sets only scope.userLocation;
 * - while it is active and allowed, and app.json's requiredBackgroundModes holds "location", the
 *   mini-program keeps running in the background (rules.backgroundLocationKeepsRunning, lifecycle.ts);
 * - updates arrive every LOCATION_INTERVAL_MS with recognisable coordinates (SIM_COORDINATES), so a
 *   test can search storage, requests and logs for them;
 * - reported, undocumented (rules.screenOffStopsLocation, off by default): about a minute after the
 *   screen goes off, updates stop — and with them what kept the JavaScript running.
 */
import type { WxApi } from '../../miniprogram/host/wechat/wx';
import type { SimWorld } from '../world';
import { fail, type Deliver, type MakeApi } from './calls';
import type { WeChatRules } from './rules';

/** How often an update arrives (WeChat documents no rate; about once a second is assumed). */
export const LOCATION_INTERVAL_MS = 1000;
/** The reported screen-off stop: about a minute after the screen goes off. */
export const SCREEN_OFF_STOP_MS = 60_000;
/** What every update carries: digits no other number in this project has, so a test can look for them anywhere. */
export const SIM_COORDINATES = Object.freeze({ latitude: 39.9087204, longitude: 116.3974857, altitude: 43.5172 });

/** The mini-program's "位置信息" setting as the user chooses it on the settings page (authorize.html). */
export type LocationChoice = 'always' | 'while_using' | 'never';

/** What app.json declares for the location APIs and the background. */
export interface AppDeclarations {
  requiredPrivateInfos: string[];
  requiredBackgroundModes: string[];
}

export interface LocationKnobs {
  readonly rules: WeChatRules;
  readonly scopes: Record<string, boolean | undefined>;
  readonly scopeAnswer: boolean;
  readonly declarations: AppDeclarations;
  readonly baseLibrary: string;
  screenOn: boolean;
}

type LocationWx = Pick<
  WxApi,
  | 'startLocationUpdateBackground'
  | 'stopLocationUpdate'
  | 'onLocationChange'
  | 'offLocationChange'
  | 'onLocationChangeError'
  | 'offLocationChangeError'
  | 'getSetting'
>;

export function versionBelow(v: string, than: string): boolean {
  const a = v.split('.').map(Number);
  const b = than.split('.').map(Number);
  for (let k = 0; k < Math.max(a.length, b.length); k++) if ((a[k] ?? 0) !== (b[k] ?? 0)) return (a[k] ?? 0) < (b[k] ?? 0);
  return false;
}

/** The scopes a choice on the settings page leaves (authorize.html: the background choice sets both). */
export function applyLocationChoice(scopes: Record<string, boolean | undefined>, choice: LocationChoice): void {
  scopes['scope.userLocation'] = choice !== 'never';
  scopes['scope.userLocationBackground'] = choice === 'always';
}

export class BackgroundLocation {
  private active = false;
  private listeners = new Set<(res: unknown) => void>();
  private errorListeners = new Set<(res: { errCode: number }) => void>();
  private stopEmitter: (() => void) | null = null;
  private screenOffTimer: (() => void) | null = null;
  /** Every update delivered to the mini-program (the coordinates a test must never find again). */
  delivered = 0;
  /** How often the mini-program read a field of an update (each field is a getter that counts). */
  reads = 0;

  constructor(
    private readonly phone: LocationKnobs,
    private readonly world: SimWorld,
    private readonly deliver: Deliver,
    /** Told whenever what keeps the JavaScript running changes (lifecycle.reconsider). */
    private readonly changed: () => void,
  ) {}

  /** Location updates are running (started, not stopped, not stopped by the system). */
  get running(): boolean {
    return this.active;
  }

  /** Whether background location keeps the mini-program's JavaScript running now. */
  keepsRunning(): boolean {
    const p = this.phone;
    return (
      p.rules.backgroundLocationKeepsRunning &&
      this.active &&
      p.scopes['scope.userLocationBackground'] === true &&
      p.declarations.requiredBackgroundModes.includes('location')
    );
  }

  /** The system stops the updates (a revoked permission, the reported screen-off stop). No error event is documented for it. */
  systemStop(): void {
    if (!this.active) return;
    this.halt();
  }

  /** The user changes "位置信息" on WeChat's settings (outside the mini-program, too): a background choice gone stops the updates. */
  choose(choice: LocationChoice): void {
    applyLocationChoice(this.phone.scopes, choice);
    if (choice !== 'always') this.systemStop();
    else this.changed();
  }

  /** The screen went off or on: the reported screen-off stop comes a minute after it goes off (rules.screenOffStopsLocation). */
  screenChanged(on: boolean): void {
    this.screenOffTimer?.();
    this.screenOffTimer = null;
    if (on || !this.phone.rules.screenOffStopsLocation) return;
    this.screenOffTimer = this.world.addTimer(
      null,
      SCREEN_OFF_STOP_MS,
      () => {
        this.screenOffTimer = null;
        if (!this.phone.screenOn) this.systemStop();
      },
      false,
    );
  }

  private halt(): void {
    this.active = false;
    this.stopEmitter?.();
    this.stopEmitter = null;
    this.changed();
  }

  private declared(api: string): boolean {
    return !this.phone.rules.requiredPrivateInfos || this.phone.declarations.requiredPrivateInfos.includes(api);
  }

  wx(api: MakeApi): LocationWx {
    const phone = this.phone;
    const part: LocationWx = {
      getSetting: api('getSetting', () => ({
        authSetting: Object.fromEntries(Object.entries(phone.scopes).filter(([, v]) => v !== undefined)),
      })),
      onLocationChange: (cb) => {
        this.listeners.add(cb as (res: unknown) => void);
      },
      offLocationChange: (cb) => {
        if (cb) this.listeners.delete(cb as (res: unknown) => void);
        else this.listeners.clear();
      },
      stopLocationUpdate: api('stopLocationUpdate', () => {
        if (this.active) this.halt();
      }),
    };
    if (versionBelow(phone.baseLibrary, '2.8.0')) return part;
    part.startLocationUpdateBackground = api('startLocationUpdateBackground', () => {
      if (!this.declared('startLocationUpdateBackground'))
        throw fail('startLocationUpdateBackground', 'the api need to be declared in the requiredPrivateInfos field in app.json/ext.json');
      const scope = 'scope.userLocationBackground';
      if (phone.scopes[scope] === undefined && !phone.rules.backgroundScopeInSettingsOnly) {
        // (the rule switched off: asked like any other scope)
        applyLocationChoice(phone.scopes, phone.scopeAnswer ? 'always' : 'never');
      }
      if (phone.scopes[scope] !== true) throw fail('startLocationUpdateBackground', 'auth deny', { errno: 103 });
      if (!this.active) {
        this.active = true;
        this.stopEmitter = this.world.addTimer(null, LOCATION_INTERVAL_MS, () => this.emit(), true);
        this.screenChanged(phone.screenOn);
        this.changed();
      }
    });
    if (!versionBelow(phone.baseLibrary, '2.19.5')) {
      part.onLocationChangeError = (cb) => {
        this.errorListeners.add(cb as (res: { errCode: number }) => void);
      };
      part.offLocationChangeError = (cb) => {
        if (cb) this.errorListeners.delete(cb as (res: { errCode: number }) => void);
        else this.errorListeners.clear();
      };
    }
    return part;
  }

  /**
   * One update, as WeChat's onLocationChange passes it (the fields of wx.getLocation's answer). Each
   * field is a getter that counts its reads, so a test can tell that the mini-program never looked.
   */
  private emit(): void {
    if (!this.active || !this.declared('onLocationChange')) return;
    const fields: Record<string, number> = { ...SIM_COORDINATES, speed: 0, accuracy: 35, verticalAccuracy: 10, horizontalAccuracy: 35 };
    this.deliver(() => {
      this.delivered++;
      for (const l of this.listeners) {
        const update = {};
        for (const [k, v] of Object.entries(fields))
          Object.defineProperty(update, k, {
            enumerable: true,
            get: () => {
              this.reads++;
              return v;
            },
          });
        l(update);
      }
    });
  }
}
