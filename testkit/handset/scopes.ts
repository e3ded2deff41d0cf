/**
 * What the mini-program may do, as WeChat decides it: the privacy gate (PrivacyAuthorize.html) —
 * declared by the operator in the admin console, agreed by the user in the app's prompt or WeChat's
 * own popup — the scopes behind it (authorize.html: undefined asks the user, who answers
 * `scopeAnswer`; background location's scope is set on the settings page only, location.ts), and
 * the settings pages a mini-program may send the user to (openSetting, where the user may choose
 * `locationChoiceInSettings`,
 * openAppAuthorizeSetting, openSystemBluetoothSetting, the privacy contract).
 */
import type { Platform } from '../../miniprogram/host/types';
import type { WxApi, WxPrivacyResolve } from '../../miniprogram/host/wechat/wx';
import { fail, type MakeApi } from './calls';
import type { LocationChoice } from './location';
import type { WeChatRules } from './rules';

/** APIs behind the privacy gate, with the scope each also needs (the guide's "访问你的蓝牙" / album lists). */
const PRIVACY_SCOPED: Record<string, string | null> = {
  openBluetoothAdapter: 'scope.bluetooth',
  createBLEPeripheralServer: 'scope.bluetooth',
  // not named in the list we could read; the issue saw it gated: the stricter case is simulated
  scanCode: null,
  saveImageToPhotosAlbum: 'scope.writePhotosAlbum',
  // the guide's clipboard entry (剪切板, privacy key Clipboard) since 2023-09-15; no scope of its own
  setClipboardData: null,
  // the guide's "选中的文件" (chosen files) entry: a file picked from a chat
  chooseMessageFile: null,
  // the guide's location entry; its scope (scope.userLocationBackground) is not asked like the others: location.ts
  startLocationUpdateBackground: null,
};

/** The privacy guide on this phone: declared by the operator, agreed by the user (and which agree buttons were tapped). */
export interface PrivacyState {
  declared: boolean;
  agreed: boolean;
  officialPopupAnswer: 'agree' | 'disagree';
  tapped: Set<string>;
}

/** What the gate reads and records on the phone. */
export interface ScopeKnobs {
  readonly platform: Platform;
  readonly rules: WeChatRules;
  readonly privacy: PrivacyState;
  readonly privacyPrompts: string[];
  readonly scopes: Record<string, boolean | undefined>;
  readonly scopeAnswer: boolean;
  readonly settingsOpened: string[];
  /** What the user chooses for "位置信息" on the settings page wx.openSetting opens (null: changes nothing there). */
  readonly locationChoiceInSettings: LocationChoice | null;
  /** Applies a "位置信息" choice (location.ts: a background choice gone stops the updates). */
  chooseLocation(choice: LocationChoice): void;
}

type ScopesWx = Pick<
  WxApi,
  | 'onNeedPrivacyAuthorization'
  | 'requirePrivacyAuthorize'
  | 'openPrivacyContract'
  | 'getPrivacySetting'
  | 'openSetting'
  | 'openAppAuthorizeSetting'
  | 'openSystemBluetoothSetting'
>;

export class PrivacyGate {
  private listener: ((resolve: WxPrivacyResolve, info: { referrer: string }) => void) | null = null;

  constructor(private readonly phone: ScopeKnobs) {}

  /**
   * The privacy gate (PrivacyAuthorize.html) and the API's scope (authorize.html), before a
   * privacy-scoped API runs: not declared → errno 112; not agreed → the app's listener is asked (or
   * WeChat's own popup), the call waits, and a refusal fails it with errno 104; a refused scope fails
   * with "auth deny".
   */
  async check(name: string, always = false): Promise<void> {
    const phone = this.phone;
    if (!always && !(name in PRIVACY_SCOPED)) return;
    if (phone.rules.privacyGate) {
      if (!phone.privacy.declared) throw { errMsg: `${name}:fail api scope is not declared in the privacy agreement`, errno: 112 };
      if (!phone.privacy.agreed) {
        phone.privacyPrompts.push(name);
        const agreed = await new Promise<boolean>((resolve) => {
          const listener = this.listener;
          if (!listener) return resolve(phone.privacy.officialPopupAnswer === 'agree');
          let answered = false;
          listener(
            (r) => {
              if (answered || r.event === 'exposureAuthorization') return;
              answered = true;
              // "基础库会检查对应的同意按钮是否被点击过"
              resolve(r.event === 'agree' && phone.privacy.tapped.has(r.buttonId));
            },
            { referrer: name },
          );
        });
        if (!agreed) throw { errMsg: `${name}:fail privacy permission is not authorized`, errno: 104 };
        phone.privacy.agreed = true;
      }
    }
    const scope = PRIVACY_SCOPED[name];
    if (!scope) return;
    if (phone.scopes[scope] === undefined) phone.scopes[scope] = phone.scopeAnswer;
    if (!phone.scopes[scope]) throw { errMsg: `${name}:fail auth deny`, errno: 103 };
  }

  wx(api: MakeApi): ScopesWx {
    const phone = this.phone;
    return {
      // "覆盖式注册监听": a new listener replaces the old one
      onNeedPrivacyAuthorization: (cb) => {
        this.listener = cb;
      },
      requirePrivacyAuthorize: api('requirePrivacyAuthorize', async () => {
        await this.check('requirePrivacyAuthorize', true);
      }),
      openPrivacyContract: api('openPrivacyContract', () => {
        phone.settingsOpened.push('privacyContract');
      }),
      getPrivacySetting: api('getPrivacySetting', () => ({
        needAuthorization: phone.rules.privacyGate && phone.privacy.declared && !phone.privacy.agreed,
        privacyContractName: '《PrTC 健康码小程序隐私保护指引》',
      })),
      openSetting: api('openSetting', () => {
        phone.settingsOpened.push('openSetting');
        if (phone.locationChoiceInSettings) phone.chooseLocation(phone.locationChoiceInSettings);
        return { authSetting: Object.fromEntries(Object.entries(phone.scopes).filter(([, v]) => v !== undefined)) };
      }),
      openAppAuthorizeSetting: api('openAppAuthorizeSetting', () => {
        phone.settingsOpened.push('openAppAuthorizeSetting');
      }),
      openSystemBluetoothSetting: api('openSystemBluetoothSetting', () => {
        if (phone.platform !== 'android') throw fail('openSystemBluetoothSetting', 'not support');
        phone.settingsOpened.push('openSystemBluetoothSetting');
      }),
    };
  }
}
