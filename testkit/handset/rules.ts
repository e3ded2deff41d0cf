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

  // ---- the background (docs/wechat-host.md, "The background")
  /** Background location that is authorised and active keeps the JavaScript running in the background (operating-mechanism, 挂起). */
  backgroundLocationKeepsRunning: boolean;
  /** scope.userLocationBackground is never asked with a prompt: the user sets it on the settings page (authorize.html, 后台定位). */
  backgroundScopeInSettingsOnly: boolean;
  /** Location APIs fail unless app.json's requiredPrivateInfos declares them (地理位置接口新增与相关流程调整, 2022-07-14). */
  requiredPrivateInfos: boolean;
  /** iOS: a background peripheral's service UUIDs go to the overflow area, seen only by iOS scanners filtering for them; no local name (CBPeripheralManager.startAdvertising). */
  iosBackgroundAdvertising: boolean;
  /** iOS: a background scan finds only advertisements of the services it filters for (CBCentralManager.scanForPeripherals). */
  iosBackgroundScanNeedsFilter: boolean;
  /** Android 8.1+: with the screen off, scans without a filter find nothing (AOSP change in 8.1, undocumented in the API reference). */
  androidScreenOffScanNeedsFilter: boolean;
  /** WeChat on iOS keeps Bluetooth working while it is in the background (undocumented: WeChat does not publish its iOS background modes). */
  iosBluetoothInBackground: boolean;
  /** Reported, undocumented: some WeChat versions stop location updates about a minute after the screen goes off. OFF by default. */
  screenOffStopsLocation: boolean;
}

/** Every documented rule on (and the undocumented screen-off stop off): the WeChat of today, as the handset simulates it unless a test says otherwise. */
export const WECHAT_RULES: Readonly<WeChatRules> = Object.freeze({
  privacyGate: true,
  androidLocationForScan: true,
  iosAdapterState: true,
  suspendInBackground: true,
  pageStackLimit: true,
  storageLimits: true,
  manufacturerDataAndroidOnly: true,
  modernSystemInfo: true,
  backgroundLocationKeepsRunning: true,
  backgroundScopeInSettingsOnly: true,
  requiredPrivateInfos: true,
  iosBackgroundAdvertising: true,
  iosBackgroundScanNeedsFilter: true,
  androidScreenOffScanNeedsFilter: true,
  iosBluetoothInBackground: true,
  // reported by developers, not documented: a test or the bench switches it on
  screenOffStopsLocation: false,
});
