/**
 * The WeChat build's host: the WeChat implementation over the mini-program's global `wx`; in the
 * plug-in build (PRTC_PLUGIN), over the plug-in's `wx` with what the host mini-program lends through
 * its export file (requireMiniProgram, base library 2.11.1; host/plugin/bridge.ts).
 */
import { createPluginHost, type HostBridge } from './plugin/bridge';
import type { Host } from './types';
import { browserRuntime, createWechatHost } from './wechat/host';
import type { WxApi } from './wechat/wx';

declare const wx: WxApi;
declare const requireMiniProgram: (() => { prtcBridge?: HostBridge } | undefined) | undefined;

export function createHost(): Host {
  if (PRTC_PLUGIN) {
    const lent = typeof requireMiniProgram === 'function' ? requireMiniProgram()?.prtcBridge : undefined;
    return createPluginHost(wx, lent);
  }
  return createWechatHost(wx, browserRuntime, { cloudEnv: PRTC_CLOUD_ENV });
}
