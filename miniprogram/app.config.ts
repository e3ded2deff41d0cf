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
        requiredPrivateInfos: [],
        // the matching worker's folder (wx.createWorker; built by tools/build/worker.ts)
        workers: 'workers',
      }),
});
