/* global wx */
// The host mini-program's export to the health-code plug-in (app.json plugins.prtc.export; the
// plug-in reads it with requireMiniProgram()). It lends the plug-in the wx APIs a plug-in cannot
// call itself (each API page: "小程序插件：不支持"), bound to the host mini-program's own wx:
// a secure random source for the plug-in's keys, and the host's privacy-guide gate.
// Plain JavaScript: WeChat takes this file as it is, outside Taro's build.
function lend(name) {
  return typeof wx[name] === 'function' ? wx[name].bind(wx) : undefined;
}

module.exports = {
  prtcBridge: {
    getRandomValues: lend('getRandomValues'),
    onNeedPrivacyAuthorization: lend('onNeedPrivacyAuthorization'),
    requirePrivacyAuthorize: lend('requirePrivacyAuthorize'),
    openPrivacyContract: lend('openPrivacyContract'),
  },
};
