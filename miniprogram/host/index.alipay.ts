/** The Alipay build's host: the Alipay implementation over the mini-program's global `my`. */
import { createAlipayHost } from './alipay/host';
import type { MyApi } from './alipay/my';
import type { Host } from './types';

declare const my: MyApi;

export function createHost(): Host {
  return createAlipayHost(my);
}
