/** The page lifecycle hooks pages use (Taro's), so that pages need nothing else from the framework's API module. */
export { useDidHide, useDidShow, useLoad } from '@tarojs/taro';
/** What a page answers when the user shares it to a chat (a `Button openType='share'` or the menu). */
export { useShareAppMessage } from '@tarojs/taro';
