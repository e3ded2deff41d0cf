/** The WeChat build's host: the WeChat implementation over the mini-program's global `wx`. */
import type { Host } from './types';
import { browserRuntime, createWechatHost } from './wechat/host';
import type { WxApi } from './wechat/wx';

declare const wx: WxApi;

export function createHost(): Host {
  return createWechatHost(wx, browserRuntime, { cloudEnv: PRTC_CLOUD_ENV });
}
