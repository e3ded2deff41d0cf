/**
 * What WeChat itself does for a page that a browser does not: its native buttons. A `<button
 * open-type="agreePrivacyAuthorization">` is WeChat's own — WeChat records the tap (so that
 * `resolve({ event: 'agree', buttonId })` of wx.onNeedPrivacyAuthorization counts) and fires the
 * button's `agreeprivacyauthorization` event (PrivacyAuthorize.html; button's open-type list). In
 * the H5 build Taro renders the same button with its `open-type` attribute but no WeChat behind it:
 * the playground, standing in for WeChat, does both on a tap.
 */
import type { SimPhone } from '../../../testkit/handset';

interface FrameDocument {
  addEventListener(type: 'click', cb: (e: { target: unknown }) => void, capture: boolean): void;
}

interface ButtonLike {
  id: string;
  closest(selector: string): ButtonLike | null;
  dispatchEvent(e: unknown): boolean;
  ownerDocument: { defaultView: { CustomEvent: new (type: string, init: object) => unknown } | null };
}

export function emulateNativeButtons(phone: SimPhone, doc: FrameDocument): void {
  doc.addEventListener(
    'click',
    (e) => {
      const el = (e.target as ButtonLike | null)?.closest?.('[open-type="agreePrivacyAuthorization"]');
      if (!el) return;
      phone.tapPrivacyAgree(el.id);
      const View = el.ownerDocument.defaultView;
      if (View) el.dispatchEvent(new View.CustomEvent('agreeprivacyauthorization', { bubbles: false, detail: {} }));
    },
    true,
  );
}
