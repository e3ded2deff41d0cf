/**
 * WeChat's storage of this mini-program on this phone (wx.setStorageSync and friends): strings by
 * key, within WeChat's limits — 1 MB a key, 10 MB in all (rules.storageLimits).
 *
 * A kill: WeChat (or the system) may end the mini-program at any moment — destroyed in the
 * background, or for memory (developers.weixin.qq.com/miniprogram/dev/framework/runtime/operating-mechanism.html,
 * 小程序销毁). `killAfterWrites` schedules one between two writes: that many writes (set or remove)
 * still reach the storage, then none does until the test relaunches the mini-program (sets it back
 * to null and builds a new device over the same storage). The simulation stops the JavaScript by
 * throwing from every later write; what counts is that the storage stays as it was at the kill.
 */
import type { WxApi } from '../../miniprogram/host/wechat/wx';
import type { WeChatRules } from './rules';

/** WeChat's storage limits (wx.setStorageSync): 1 MB a key, 10 MB in all. */
const KEY_LIMIT = 1024 * 1024;
const TOTAL_LIMIT = 10 * 1024 * 1024;

export interface StorageKnobs {
  readonly rules: WeChatRules;
  readonly store: Map<string, string>;
  /** Writes left before the mini-program is killed (0: killed, no write reaches the storage); null: no kill. */
  killAfterWrites: number | null;
}

/** What the simulation throws where the killed mini-program would simply have stopped. */
export const KILLED = 'simulated kill: the mini-program is no longer running';

export function storageWx(
  phone: StorageKnobs,
): Pick<WxApi, 'getStorageSync' | 'setStorageSync' | 'removeStorageSync' | 'getStorageInfoSync'> {
  const storageFull = (key: string, value: string): string | null => {
    if (!phone.rules.storageLimits) return null;
    if (value.length > KEY_LIMIT) return `setStorageSync:fail entry exceeds 1MB (${key})`;
    let total = value.length;
    for (const [k, v] of phone.store) if (k !== key) total += v.length;
    return total > TOTAL_LIMIT ? 'setStorageSync:fail exceed storage max size 10MB' : null;
  };
  const write = () => {
    if (phone.killAfterWrites === null) return;
    if (phone.killAfterWrites <= 0) throw Object.assign(new Error(KILLED), { errMsg: KILLED });
    phone.killAfterWrites--;
  };
  return {
    getStorageSync: (k: string) => phone.store.get(k) ?? '',
    setStorageSync: (k: string, v: unknown) => {
      if (typeof v !== 'string')
        throw Object.assign(new Error('setStorageSync:fail data must be a string'), {
          errMsg: 'setStorageSync:fail data must be a string',
        });
      const full = storageFull(k, v);
      if (full) throw Object.assign(new Error(full), { errMsg: full });
      write();
      phone.store.set(k, v);
    },
    removeStorageSync: (k: string) => {
      write();
      phone.store.delete(k);
    },
    getStorageInfoSync: () => {
      let total = 0;
      for (const v of phone.store.values()) total += v.length;
      return { keys: [...phone.store.keys()], currentSize: Math.ceil(total / 1024), limitSize: TOTAL_LIMIT / 1024 };
    },
  };
}
