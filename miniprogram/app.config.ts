export default defineAppConfig({
  pages: [
    'pages/home/index',
    'pages/report/index',
    'pages/exposure/index',
    'pages/settings/index',
    'pages/checkin/index',
    'pages/gate/index',
  ],
  window: {
    navigationBarTitleText: 'PrTC',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f5f5',
  },
  requiredPrivateInfos: [],
});
