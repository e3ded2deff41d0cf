/**
 * The phone's network as the mini-program sees it: wx.request over an injected transport (a real
 * server on loopback behind it, in tests), which the test can take down or slow, and WeChat cloud
 * functions (wx.cloud.callFunction) where the test gives them.
 */
import { utf8Decode, utf8Encode } from '../../shared/protocol/codec';
import type { WxApi } from '../../miniprogram/host/wechat/wx';
import type { Deliver } from './calls';

/** One HTTP exchange as bytes on the wire (a real server on loopback behind it, in tests). */
export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

/** WeChat cloud functions: name and data in, the function's result out. */
export type CloudFunctions = (name: string, data: Record<string, unknown>) => Promise<unknown>;

export interface NetworkKnobs {
  networkUp: boolean;
  networkDelayMs: number;
}

export function networkWx(
  phone: NetworkKnobs,
  deliver: Deliver,
  transport: Transport = () => Promise.reject(new Error('no transport')),
  cloud?: CloudFunctions,
): Pick<WxApi, 'request' | 'cloud'> {
  const part: Pick<WxApi, 'request' | 'cloud'> = {
    request: (o) => {
      const body = o.data === undefined || o.method === 'GET' ? undefined : utf8Encode(JSON.stringify(o.data));
      const sent = phone.networkUp
        ? transport({ method: o.method ?? 'GET', url: o.url, headers: { ...(o.header ?? {}) }, body })
        : Promise.reject(new Error('network is down'));
      const delay = phone.networkDelayMs;
      const go = delay > 0 ? sent.then((r) => new Promise<typeof r>((res) => setTimeout(() => res(r), delay))) : sent;
      go.then(
        (r) =>
          deliver(() => {
            let data: unknown;
            if (o.responseType === 'arraybuffer') data = r.body.slice().buffer;
            else {
              const text = utf8Decode(r.body);
              data = text;
              if (o.dataType === 'json') {
                try {
                  data = JSON.parse(text);
                } catch {
                  data = text;
                }
              }
            }
            o.success?.({ statusCode: r.status, data, header: r.headers });
            o.complete?.();
          }),
        (e: Error) =>
          deliver(() => {
            o.fail?.({ errMsg: `request:fail ${e.message}` });
            o.complete?.();
          }),
      );
      return { abort: () => undefined, onHeadersReceived: () => undefined, offHeadersReceived: () => undefined };
    },
  };
  if (cloud) part.cloud = { init: () => undefined, callFunction: async ({ name, data }) => ({ result: await cloud(name, data) }) };
  return part;
}
