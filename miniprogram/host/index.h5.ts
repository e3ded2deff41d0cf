/**
 * The browser build's host (Taro's H5 platform, `npm run build -- h5`): the WeChat implementation
 * over the `wx` object the page's environment puts on `window` before the app starts — as WeChat
 * gives a mini-program its global `wx`, and as Taro's own H5 APIs look for WeChat's JS-SDK at
 * `window.wx` inside WeChat's browser. A plain browser has no WeChat: the playground
 * (tools/playground/) gives each phone the `wx` of a simulated handset. This file imports no
 * simulation (product code never does); it only says where the `wx` comes from.
 *
 * One thing differs from a mini-program: in a browser the pages are the router's (Taro's H5 router),
 * not WeChat's. A move between pages asks the environment's `wx` first — it keeps the page stack and
 * refuses what WeChat refuses (wx.navigateTo: at most ten pages; wx.navigateBack: not from the first
 * page) — and only then shows the page with Taro's router; a title goes to both.
 */
import Taro from '@tarojs/taro';
import type { Host } from './types';
import { browserRuntime, createWechatHost } from './wechat/host';
import type { WxApi, WxCallbacks } from './wechat/wx';

type Routed = 'navigateTo' | 'navigateBack' | 'reLaunch' | 'setNavigationBarTitle';
type Options = Record<string, unknown> & WxCallbacks<unknown>;

/** The environment's routing API `name`, followed on success by the browser's own (Taro's router). */
function thenShow(env: WxApi, name: Routed, show: (o: Options) => Promise<unknown>): (o: Options) => void {
  const api = env[name] as unknown as ((o: Options) => void) | undefined;
  return (o) => {
    if (!api) {
      o.fail?.({ errMsg: `${name}:fail not supported by this environment` });
      return;
    }
    api({
      ...o,
      success: (r: unknown) =>
        show(o).then(
          () => o.success?.(r as never),
          (e: unknown) => o.fail?.({ errMsg: `${name}:fail ${(e as { errMsg?: string })?.errMsg ?? String(e)}` }),
        ),
      fail: o.fail,
      complete: undefined,
    });
  };
}

export function createHost(): Host {
  const env = (globalThis as { wx?: WxApi }).wx;
  if (!env) throw new Error('this page has no `wx`: the browser build runs inside the playground (npm run playground)');
  const wx: WxApi = {
    ...env,
    navigateTo: thenShow(env, 'navigateTo', (o) => Taro.navigateTo({ url: o.url as string })),
    navigateBack: thenShow(env, 'navigateBack', (o) => Taro.navigateBack({ delta: (o.delta as number) ?? 1 })),
    reLaunch: thenShow(env, 'reLaunch', (o) => Taro.reLaunch({ url: o.url as string })),
    setNavigationBarTitle: thenShow(env, 'setNavigationBarTitle', (o) => Taro.setNavigationBarTitle({ title: o.title as string })),
  } as unknown as WxApi;
  const host = createWechatHost(wx, browserRuntime, {});
  // Taro's H5 Camera reports no scanned code (docs.taro.zone, Camera: CameraProps.onScanCode is not
  // supported on H5): in a browser each frame of a move is one scan
  return { ...host, capabilities: { ...host.capabilities, liveScan: false } };
}
