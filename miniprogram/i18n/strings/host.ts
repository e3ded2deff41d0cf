/** What the host refused, what to do about it, and the privacy prompt. */
export const HOST = {
  host_bluetooth_not_ready: { en: 'Bluetooth is not ready yet. Try again in a moment.', zh: '蓝牙尚未就绪，请稍后重试。' },
  host_bluetooth_off: {
    en: 'Bluetooth is off. Turn it on in the phone settings, then try again.',
    zh: '蓝牙未开启。请在手机设置中打开蓝牙后重试。',
  },
  host_bluetooth_unsupported: {
    en: 'This phone does not support Bluetooth Low Energy tracing.',
    zh: '此手机不支持低功耗蓝牙，无法记录接触。',
  },
  host_bluetooth_failed: {
    en: 'The phone reported a Bluetooth error. Turn Bluetooth off and on, then try again.',
    zh: '系统蓝牙出错。请关闭再打开蓝牙后重试。',
  },
  host_bluetooth_unauthorized: {
    en: 'WeChat may not use Bluetooth on this phone. Allow Bluetooth for WeChat in the phone settings.',
    zh: '系统未允许微信使用蓝牙。请在手机设置中允许微信使用蓝牙。',
  },
  host_location_off: {
    en: 'Android scans for nearby phones only with Location turned on. Turn on Location (pull down from the top of the screen), then come back.',
    zh: '安卓手机需开启“位置信息”才能搜索附近设备。请下拉通知栏打开“位置信息”后返回。',
  },
  host_location_unauthorized: {
    en: 'Android lets WeChat scan for nearby phones only with the Location permission. Allow Location for WeChat, then come back.',
    zh: '安卓系统要求微信具有“位置信息”权限才能搜索附近设备。请允许微信使用位置信息后返回。',
  },
  host_permission_denied: {
    en: 'You did not allow this mini-program to use Bluetooth. Allow it in the mini-program settings.',
    zh: '您未允许本小程序使用蓝牙。请在小程序设置中允许。',
  },
  host_privacy_not_agreed: {
    en: 'Bluetooth tracing needs your agreement to the privacy guide first.',
    zh: '使用蓝牙记录前，需要您先同意隐私保护指引。',
  },
  host_privacy_not_declared: {
    en: 'This version of the mini-program may not use this feature (its privacy guide does not declare it). It will work after an update.',
    zh: '当前版本的小程序隐私保护指引未声明此功能，暂不可用，更新后即可使用。',
  },
  host_page_limit: { en: 'Too many pages are open. Go back and try again.', zh: '打开的页面过多，请返回后重试。' },
  host_cancelled: { en: 'Cancelled.', zh: '已取消。' },
  host_network: {
    en: 'The server cannot be reached. Check the network; we will try again.',
    zh: '无法连接服务器。请检查网络，稍后会自动重试。',
  },
  host_timeout: { en: 'The server took too long to answer. We will try again.', zh: '服务器响应超时，稍后会自动重试。' },
  host_storage_full: { en: 'The phone storage for this mini-program is full.', zh: '小程序存储空间已满。' },
  host_unsupported: {
    en: 'This WeChat version does not support this feature. Update WeChat.',
    zh: '当前微信版本不支持此功能，请升级微信。',
  },
  host_unknown: { en: 'Something went wrong. Try again.', zh: '出错了，请重试。' },
  fix_mini_program: { en: 'Open the mini-program settings', zh: '打开小程序设置' },
  fix_app_permissions: { en: 'Open the phone settings for WeChat', zh: '打开微信的系统权限设置' },
  fix_bluetooth: { en: 'Open Bluetooth settings', zh: '打开蓝牙设置' },
  fix_privacy: { en: 'Read and agree to the privacy guide', zh: '阅读并同意隐私保护指引' },
  privacyTitle2: { en: 'Before you start', zh: '开始使用前' },
  privacyExplain: {
    en: 'To record contacts, this mini-program uses Bluetooth: it broadcasts random codes that change every 10 minutes and records the codes of phones nearby, on this phone only. To check in at venues and verify health codes it uses the camera to scan QR codes. Nothing identifies you, and your status is computed on this phone.',
    zh: '为了记录接触，本小程序使用蓝牙：广播每10分钟更换的随机码，并仅在本机记录附近手机的随机码。为了场所登记和核验健康码，本小程序使用摄像头扫描二维码。这些信息不能识别您的身份，风险状态在本机计算。',
  },
  privacyRead: { en: 'Read the privacy guide', zh: '查看隐私保护指引' },
  privacyAgree: { en: 'Agree and continue', zh: '同意并继续' },
  privacyDecline: { en: 'Not now', zh: '暂不同意' },
} as const;
