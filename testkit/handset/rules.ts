/**
 * The WeChat rules the simulated handset enforces. Each is a documented platform behaviour with one
 * row in docs/wechat-host.md (the rule, where WeChat says so, what the handset does, what the host
 * does, the tests), and each can be switched off in `SimOptions.rules`, so that a test can show the
 * rule matters: the story that passes with the rule on fails with it off.
 */

/** The WeChat rules this handset enforces (docs/wechat-host.md has one row for each). */
export interface WeChatRules {
  /** Privacy-scoped APIs wait for the user's agreement to the privacy guide (PrivacyAuthorize.html). */
  privacyGate: boolean;
  /** Android 6+: scanning needs location permission and the location switch (startBluetoothDevicesDiscovery). */
  androidLocationForScan: boolean;
  /** iOS: a failed openBluetoothAdapter carries `state` (3 unauthorised, 4 off). */
  iosAdapterState: boolean;
  /** JavaScript is suspended about 5 s after the app goes to the background: timers stop, callbacks wait. */
  suspendInBackground: boolean;
  /** At most ten pages on the stack (wx.navigateTo). */
  pageStackLimit: boolean;
  /** 1 MB a key, 10 MB in all (wx.setStorageSync). */
  storageLimits: boolean;
  /** Manufacturer data in an advertisement is Android only (AdvertiseReqObj). */
  manufacturerDataAndroidOnly: boolean;
  /** The base library has wx.getDeviceInfo / getAppBaseInfo / getSystemSetting / getAppAuthorizeSetting (2.20.1+). */
  modernSystemInfo: boolean;
}

/** Every rule on: the WeChat of today, as the handset simulates it unless a test says otherwise. */
export const WECHAT_RULES: Readonly<WeChatRules> = Object.freeze({
  privacyGate: true,
  androidLocationForScan: true,
  iosAdapterState: true,
  suspendInBackground: true,
  pageStackLimit: true,
  storageLimits: true,
  manufacturerDataAndroidOnly: true,
  modernSystemInfo: true,
});
