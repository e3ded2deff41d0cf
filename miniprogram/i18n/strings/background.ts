/** Background tracing (the setting, why it is off or unavailable, each platform's limits) and the home page's "is it working" panel. */
export const BACKGROUND = {
  // what the host refused (host/errors.ts)
  host_background_denied: {
    en: 'Background tracing needs Location set to “While using the mini-program and after leaving it”. Open the mini-program settings and choose it.',
    zh: '后台记录需要将“位置信息”设为“使用小程序期间和离开小程序后”。请打开小程序设置进行选择。',
  },
  host_background_while_using: {
    en: 'You allowed Location only while the mini-program is open, so tracing stops when you leave it. For background tracing choose “While using the mini-program and after leaving it” in the mini-program settings.',
    zh: '您仅允许在使用小程序期间使用位置信息，离开小程序后记录会停止。如需后台记录，请在小程序设置中选择“使用小程序期间和离开小程序后”。',
  },
  host_background_not_declared: {
    en: 'This version of the mini-program is not set up for background tracing. It will work after an update.',
    zh: '当前版本的小程序未开通后台记录，更新后即可使用。',
  },
  featureOff_background: {
    en: 'Background tracing is not available here: tracing runs only while this mini-program is on screen.',
    zh: '此处无法使用后台记录：仅在小程序处于前台时记录接触。',
  },
  // why this host cannot (host/types.ts BackgroundUnavailable)
  bgWhy_host: {
    en: 'This app cannot keep a mini-program running in the background, so tracing runs only while it is on screen.',
    zh: '此应用无法让小程序在后台运行，因此仅在小程序处于前台时记录。',
  },
  bgWhy_plugin: {
    en: 'As a plug-in, this health code cannot run in the background (WeChat allows background location to mini-programs only), so tracing runs only while it is on screen.',
    zh: '作为插件，本健康码无法在后台运行（微信仅允许小程序使用后台定位），因此仅在其处于前台时记录。',
  },
  bgWhy_base_library: {
    en: 'This WeChat is too old for background tracing. Update WeChat; until then tracing runs only while this mini-program is on screen.',
    zh: '当前微信版本过低，无法后台记录。请升级微信；在此之前仅在小程序处于前台时记录。',
  },
  bgWhy_no_radio: { en: 'This device cannot trace with Bluetooth.', zh: '此设备无法使用蓝牙记录接触。' },
  // the settings card
  bgTitle: { en: 'Keep tracing when WeChat is in the background', zh: '微信在后台时继续记录' },
  bgExplain: {
    en: 'Tracing normally pauses when you leave this mini-program. With this on, WeChat keeps it running in the background by giving it location updates: that is the only way WeChat offers. The mini-program never reads, keeps or sends your location; it needs the updates only to keep running. While it runs, WeChat shows a location symbol on the ••• button at the top right and in the phone’s status bar. It uses more battery.',
    zh: '离开小程序后，接触记录通常会暂停。开启后，微信通过向小程序提供位置更新使其在后台继续运行，这是微信提供的唯一方式。小程序从不读取、保存或发送您的位置，只借助位置更新保持运行。运行期间，微信会在右上角胶囊按钮和手机状态栏显示定位图标。这会增加耗电。',
  },
  bgHowTo: {
    en: 'WeChat asks no question for this: in the mini-program settings, set Location to “While using the mini-program and after leaving it”.',
    zh: '微信不会为此弹窗询问：请在小程序设置中将“位置信息”设为“使用小程序期间和离开小程序后”。',
  },
  bgOn: { en: 'Background tracing is on', zh: '后台记录已开启' },
  bgOff: { en: 'Background tracing is off', zh: '后台记录已关闭' },
  bgTurnOn: { en: 'Turn on background tracing', zh: '开启后台记录' },
  bgTurnOff: { en: 'Turn off background tracing', zh: '关闭后台记录' },
  bgWaitsForTracing: { en: 'It starts when tracing is on.', zh: '开始记录后生效。' },
  // each platform's limits in the background, said as they are (docs/protocol.md §4)
  bgLimits_android: {
    en: 'In the background this phone is heard by Android phones and iPhones nearby. It hears Android phones, but iPhones only while their mini-program is open: iOS hides an iPhone’s beacon in the background.',
    zh: '在后台时，附近的安卓手机和苹果手机都能记录到本机。本机能记录安卓手机，但苹果手机只有在其小程序打开时才能被记录：苹果系统会在后台隐藏其信标。',
  },
  bgLimits_ios: {
    en: 'In the background this iPhone hears Android phones nearby, and iPhones whose mini-program is open. iOS hides its own beacon in the background: other phones record this iPhone only while this mini-program is open.',
    zh: '在后台时，本机能记录附近的安卓手机，以及打开了小程序的苹果手机。苹果系统会在后台隐藏本机的信标：只有在本小程序打开时，其他手机才能记录到本机。',
  },
  // the home page's "is it working" panel
  trState_background: { en: 'It goes on while WeChat is in the background.', zh: '微信在后台时也会继续记录。' },
  trState_foreground: { en: 'Only while this mini-program is open.', zh: '仅在本小程序打开时记录。' },
  trWhy_off: {
    en: 'Background tracing is off. To keep tracing with the phone in your pocket, turn it on in Settings.',
    zh: '后台记录未开启。如需在手机放入口袋后继续记录，请在“设置”中开启。',
  },
  trWhy_stopped: {
    en: 'WeChat stopped running this mini-program in the background. Tracing goes on while it is open, and in the background again from the next time you open it.',
    zh: '微信已停止本小程序的后台运行。小程序打开时仍会记录，下次打开后将恢复后台记录。',
  },
  durHM: { en: '{h} h {m} min', zh: '{h}小时{m}分钟' },
  durM: { en: '{m} min', zh: '{m}分钟' },
  tracingToday: { en: 'On for {time} today', zh: '今天已记录{time}' },
  nearbyToday: { en: 'Up to {n} phones nearby at once today', zh: '今天附近同时最多有{n}部手机' },
  nearbyNone: { en: 'No phones nearby recorded today', zh: '今天未记录到附近的手机' },
  lastCheck: { en: 'Checked {time}, {age} ago', zh: '{time}已检查，{age}前' },
  lastCheckJustNow: { en: 'Checked {time}, just now', zh: '{time}已检查，刚刚' },
  checkOverdue: {
    en: 'No check for {age}. Connect to the internet and tap “Check for exposures”.',
    zh: '已有{age}未检查。请连接网络并点击“检查接触风险”。',
  },
} as const;
