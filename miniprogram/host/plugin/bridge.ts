/**
 * The health code as a WeChat mini-program plug-in. A plug-in's `wx` lacks some APIs outright
 * ("一些 API 不允许插件调用（这些函数不存在于 wx 对象下）", framework/plugin/api-limit): of those this
 * host uses, each API page says "小程序插件：不支持" for
 * - wx.getRandomValues (the tek, upload ids, venue codes);
 * - wx.onNeedPrivacyAuthorization, wx.requirePrivacyAuthorize, wx.openPrivacyContract (the privacy
 *   guide is the host mini-program's);
 * while wx.createBLEPeripheralServer is supported in plug-ins from base library 2.22.1 and storage,
 * wx.request (with the plug-in's own domain list) and Bluetooth scanning are too.
 * The mini-program that embeds the plug-in lends the missing ones through the documented bridge: its
 * app.json names an `export` file for the plug-in (使用插件 — 导出到插件), and the plug-in reads it
 * with requireMiniProgram() (base library 2.11.1). What the bridge does not lend stays missing, and
 * the host's capabilities say so (host/features.ts). Background location is not supported in
 * plug-ins at all (wx.startLocationUpdateBackground, wx.onLocationChangeError: "小程序插件：不支持").
 */
import { createWechatHost } from '../wechat/host';
import type { WxApi } from '../wechat/wx';
import type { Host } from '../types';

/** The APIs a plug-in's wx lacks that this host uses: what a host mini-program's bridge may lend. */
export const PLUGIN_LACKS = ['getRandomValues', 'onNeedPrivacyAuthorization', 'requirePrivacyAuthorize', 'openPrivacyContract'] as const;
export type BridgedApi = (typeof PLUGIN_LACKS)[number];

/** What the host mini-program's export file provides under `prtcBridge`: its own wx functions. */
export type HostBridge = Partial<Pick<WxApi, BridgedApi>>;

/** The plug-in's wx with the bridge's functions where the plug-in has none (never replacing one it has). */
export function bridgedWx(wx: WxApi, bridge: HostBridge): WxApi {
  const merged = Object.create(wx) as Record<string, unknown>;
  for (const name of PLUGIN_LACKS) {
    const lent: unknown = bridge[name];
    if (typeof (wx as unknown as Record<string, unknown>)[name] !== 'function' && typeof lent === 'function') merged[name] = lent;
  }
  return merged as unknown as WxApi;
}

export function createPluginHost(wx: WxApi, bridge: HostBridge | undefined): Host {
  // the plug-in's requests go to the server over HTTP: cloud functions are the host mini-program's.
  // Matching keeps its worker: wx.createWorker is supported in plug-ins from base library 2.18.1,
  // with `workers` in plugin.json ("插件为 plugin.json"), and so is WXWebAssembly (2.18.1,
  // framework/performance/wasm); the build puts both into the plug-in's package
  const host = createWechatHost(bridgedWx(wx, bridge ?? {}));
  // background location is not for plug-ins (wx.startLocationUpdateBackground: "小程序插件：不支持"),
  // and no bridge may lend it: the plug-in traces while its page is on screen only
  const capabilities = { ...host.capabilities, background: { via: null, why: 'plugin' as const } };
  return { ...host, capabilities, background: undefined, callFunction: undefined };
}
