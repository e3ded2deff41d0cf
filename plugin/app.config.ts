// The host mini-program that embeds the health-code plug-in (`npm run build:plugin` →
// dist/weapp-plugin/miniprogram). `plugins.prtc.export` names the file it lends the plug-in
// (使用插件 — 导出到插件): see bridge.js. For a published plug-in, `provider` is its AppID and
// `version` a released version; "dev" is how WeChat DevTools loads the plug-in project's own code.
// (Taro's AppConfig type lacks `export`, WeChat's field: a variable passes it through unchecked)
const prtc = { version: 'dev', provider: 'wx0000000000000000', export: 'bridge.js' };

export default defineAppConfig({
  pages: ['pages/index/index'],
  plugins: { prtc },
  window: { navigationBarTitleText: '城市服务', navigationBarBackgroundColor: '#ffffff', navigationBarTextStyle: 'black' },
});
