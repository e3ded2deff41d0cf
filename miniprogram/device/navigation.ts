/** Moving between pages, titles in the user's language, and the host's settings pages. */
import type { StringKey } from '../i18n';
import type { DeviceCore } from './core';
import type { Page } from './view';

export class Navigation {
  constructor(private readonly core: DeviceCore) {}

  /** Puts the page's title in the navigation bar, in the user's language. */
  setTitle(page: Page): Promise<void> {
    return this.core.host.setTitle(this.core.text(`title_${page}` as StringKey)).catch(() => undefined);
  }

  navigate(page: Page): Promise<void> {
    return this.core.host.navigate(`/pages/${page}/index`).catch(() => undefined);
  }

  /** Back to the page that opened this one. */
  back(): Promise<void> {
    return this.core.host.back().catch(() => undefined);
  }

  /** The mini-program's own permission page (wx.openSetting), where album access can be turned back on. */
  openPermissions(): Promise<void> {
    return this.core.host.openSettings('mini_program').catch(() => undefined);
  }
}
