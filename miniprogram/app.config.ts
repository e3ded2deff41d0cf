export default defineAppConfig({
  pages: [
    'pages/home/index',
    'pages/report/index',
    'pages/exposure/index',
    'pages/settings/index',
    'pages/checkin/index',
    'pages/gate/index',
    'pages/history/index',
    'pages/venues/index',
    'pages/diary/index',
    'pages/move/index',
  ],
  // WeChat's dark mode: window colours from theme.json by theme (DarkMode guide, base library 2.11.0).
  // Alipay has no theme variables: plain colours there (Taro maps the names to defaultTitle/titleBarColor).
  ...(process.env.TARO_ENV === 'alipay'
    ? {
        window: {
          navigationBarTitleText: '健康码',
          navigationBarBackgroundColor: '#ffffff',
          navigationBarTextStyle: 'black' as const,
          backgroundColor: '#f5f6f7',
        },
      }
    : {
        darkmode: true,
        themeLocation: 'theme.json',
        window: {
          navigationBarTitleText: '健康码',
          navigationBarBackgroundColor: '@navBgColor',
          navigationBarTextStyle: '@navTxtStyle',
          backgroundColor: '@bgColor',
          backgroundTextStyle: '@bgTxtStyle',
        },
        // background tracing (issue 28): WeChat keeps a mini-program running in the background while it
        // uses background location (framework/runtime/operating-mechanism); the location itself is never
        // read. requiredBackgroundModes: wx.startLocationUpdateBackground ("需在app.json中配置"); both
        // location APIs declared since 2022-07-14 (地理位置接口新增与相关流程调整); the purpose that
        // scope.userLocation(Background) needs (authorize.html: "必须配置地理位置用途说明")
        requiredBackgroundModes: ['location'],
        requiredPrivateInfos: ['startLocationUpdateBackground', 'onLocationChange'],
        permission: { 'scope.userLocation': { desc: '仅用于让接触记录在后台继续运行，不读取或上传位置' } },
        // the matching worker's folder (wx.createWorker; built by tools/build/worker.ts)
        workers: 'workers',
      }),
});
