/**
 * The system clipboard (wx.setClipboardData, base library 1.1.0): what the mini-program copied, and
 * the toast WeChat shows after a copy ("调用成功后，会弹出 toast 提示'内容已复制'，持续 1.5s",
 * developers.weixin.qq.com/miniprogram/dev/api/device/clipboard/wx.setClipboardData.html). Since
 * 2023-09-15 the API sits behind the privacy guide's clipboard entry (scopes.ts gates it).
 */
import type { WxApi } from '../../miniprogram/host/wechat/wx';
import type { MakeApi } from './calls';

export interface ClipboardKnobs {
  /** The clipboard's text (null: nothing copied yet). */
  clipboard: string | null;
  /** Every toast WeChat itself showed, in order. */
  readonly toasts: string[];
}

export function clipboardWx(phone: ClipboardKnobs, api: MakeApi): Pick<WxApi, 'setClipboardData'> {
  return {
    setClipboardData: api('setClipboardData', (o) => {
      phone.clipboard = String(o.data);
      phone.toasts.push('内容已复制');
    }),
  };
}
