/**
 * The mini-program's pages as WeChat keeps them: the page stack (wx.navigateTo, navigateBack,
 * reLaunch; at most ten pages, rules.pageStackLimit), every page navigated to, and the titles set
 * on the navigation bar.
 */
import type { WxApi } from '../../miniprogram/host/wechat/wx';
import { fail, type MakeApi } from './calls';
import type { WeChatRules } from './rules';

/** wx.navigateTo: 小程序中页面栈最多十层. */
export const PAGE_STACK_LIMIT = 10;

export interface PagesKnobs {
  readonly rules: WeChatRules;
  readonly pages: string[];
  readonly titles: string[];
  readonly navigations: string[];
}

export function pagesWx(
  phone: PagesKnobs,
  api: MakeApi,
): Pick<WxApi, 'navigateTo' | 'navigateBack' | 'reLaunch' | 'setNavigationBarTitle'> {
  return {
    navigateTo: api('navigateTo', (o) => {
      if (phone.rules.pageStackLimit && phone.pages.length >= PAGE_STACK_LIMIT) throw fail('navigateTo', 'webview count limit exceed');
      phone.pages.push(o.url as string);
      phone.navigations.push(o.url as string);
    }),
    navigateBack: api('navigateBack', (o) => {
      const delta = Math.max(1, (o.delta as number) ?? 1);
      if (phone.pages.length <= 1) throw fail('navigateBack', 'cannot navigate back at first page.');
      phone.pages.splice(Math.max(1, phone.pages.length - delta));
    }),
    reLaunch: api('reLaunch', (o) => {
      phone.pages.splice(0, phone.pages.length, o.url as string);
      phone.navigations.push(o.url as string);
    }),
    setNavigationBarTitle: api('setNavigationBarTitle', (o) => {
      phone.titles.push(o.title as string);
    }),
  };
}
