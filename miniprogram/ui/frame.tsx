/**
 * What every page starts with: WeChat's `page-meta` node with the root font size set to "system"
 * — the user's font size in WeChat's settings (page-meta, base library 2.11.0 for "system") — so
 * every size given in `rem` in app.css follows it; and the page's title in the user's language.
 */
import { PageMeta, View } from '@tarojs/components';
import type { PropsWithChildren } from 'react';
import type { Device, Page } from '../device';
import { useDidShow } from './lifecycle';

export function Frame({
  device,
  page,
  className = 'page',
  id,
  children,
}: PropsWithChildren<{ device: Device; page: Page; className?: string; id?: string }>) {
  useDidShow(() => {
    void device.setTitle(page);
  });
  return (
    <View className={className} id={id}>
      <PageMeta rootFontSize='system' pageFontSize='system' />
      {children}
    </View>
  );
}
