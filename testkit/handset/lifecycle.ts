/**
 * The mini-program's life on the phone (运行机制): on screen or in the background (wx.onAppHide /
 * onAppShow), its JavaScript suspended about 5 s after it leaves the screen — timers stop, and every
 * callback into it (answers of wx APIs, found devices, worker messages) waits in a queue until it
 * comes back — unless background location keeps it running ("使用了…后台地理位置等能力时，小程序可以
 * 在「后台」持续运行，不会进入到「挂起」状态"; location.ts says whether it does). When that ends while the
 * mini-program is in the background (stopped, revoked, stopped by the system), suspension follows
 * 5 s later as after a hide. Also the screen (locking it hides the mini-program) and the global
 * setInterval of a mini-program on this phone, on the world's clock.
 */
import type { WxApi } from '../../miniprogram/host/wechat/wx';
import type { RadioPhone, SimWorld } from '../world';
import type { Deliver } from './calls';
import type { WeChatRules } from './rules';

/** WeChat stops a background mini-program's JavaScript after about 5 s (运行机制, 挂起). */
export const SUSPEND_AFTER_MS = 5000;

/** What the lifecycle reads and moves on the phone: whether the mini-program is on screen, the screen. */
export interface LifecycleKnobs extends RadioPhone {
  foreground: boolean;
  screenOn: boolean;
  readonly rules: WeChatRules;
  /** Whether background location keeps the JavaScript running now (location.ts). */
  keptRunning(): boolean;
}

export class Lifecycle {
  private isSuspended = false;
  private queued: (() => void)[] = [];
  private hideListeners = new Set<() => void>();
  private showListeners = new Set<() => void>();
  private suspensionPending = false;

  constructor(
    private readonly phone: LifecycleKnobs,
    private readonly world: SimWorld,
  ) {}

  /** Whether the mini-program's JavaScript is suspended now (its timers do not fire). */
  get suspended(): boolean {
    return this.isSuspended;
  }

  /** A callback into the mini-program: now, or when it comes back if its JavaScript is suspended. */
  readonly deliver: Deliver = (f) => {
    if (this.isSuspended) this.queued.push(f);
    else f();
  };

  /** The user leaves the mini-program (home button, another app, the screen locked): App.onHide now, suspension 5 s later. */
  hide(): void {
    if (!this.phone.foreground) return;
    this.phone.foreground = false;
    for (const l of this.hideListeners) l();
    this.reconsider();
  }

  /**
   * Whether suspension comes, looked at again: after a hide, and whenever what keeps the JavaScript
   * running changes (background location started, stopped, revoked, stopped by the system). It comes
   * 5 s later if by then nothing keeps the mini-program running.
   */
  reconsider(): void {
    if (this.phone.foreground || this.isSuspended || this.suspensionPending || !this.suspendsInBackground()) return;
    this.suspensionPending = true;
    this.world.addTimer(
      null,
      SUSPEND_AFTER_MS,
      () => {
        this.suspensionPending = false;
        if (!this.phone.foreground && this.suspendsInBackground()) this.isSuspended = true;
      },
      false,
    );
  }

  /** The user comes back: the JavaScript resumes, waiting callbacks run, then App.onShow. */
  show(): void {
    if (this.phone.foreground) return;
    this.phone.foreground = true;
    this.phone.screenOn = true;
    this.isSuspended = false;
    this.world.notifyResumed();
    const waiting = this.queued.splice(0);
    for (const f of waiting) f();
    for (const l of this.showListeners) l();
  }

  /**
   * The global `setInterval` / `clearInterval` of a mini-program on this phone: intervals on the
   * world's clock that stop while the JavaScript is suspended (loadWeapp installs them for the build).
   */
  intervals(): { setInterval: (fn: () => void, ms: number) => number; clearInterval: (id: number) => void } {
    const cancels = new Map<number, () => void>();
    let next = 1;
    return {
      setInterval: (fn, ms) => {
        const id = next++;
        cancels.set(id, this.world.addTimer(this.phone, ms, fn, true));
        return id;
      },
      clearInterval: (id) => {
        cancels.get(id)?.();
        cancels.delete(id);
      },
    };
  }

  /** wx.onAppHide / offAppHide / onAppShow / offAppShow. */
  wx(): Pick<WxApi, 'onAppHide' | 'offAppHide' | 'onAppShow' | 'offAppShow'> {
    return {
      onAppHide: (cb) => {
        this.hideListeners.add(cb);
      },
      offAppHide: (cb) => {
        if (cb) this.hideListeners.delete(cb);
        else this.hideListeners.clear();
      },
      onAppShow: (cb) => {
        this.showListeners.add(cb);
      },
      offAppShow: (cb) => {
        if (cb) this.showListeners.delete(cb);
        else this.showListeners.clear();
      },
    };
  }

  /** Whether WeChat stops this mini-program's JavaScript once it has been in the background a while. */
  private suspendsInBackground(): boolean {
    return this.phone.rules.suspendInBackground && !this.phone.keptRunning();
  }
}
