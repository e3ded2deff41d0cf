/** The page lifecycle hooks pages use (Taro's), so that pages need nothing else from the framework's API module. */
export { useDidHide, useDidShow, useLoad } from '@tarojs/taro';
