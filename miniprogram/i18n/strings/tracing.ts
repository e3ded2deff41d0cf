/** Bluetooth tracing. */
export const TRACING = {
  foregroundOnly: {
    en: 'Tracing runs only while this mini-program is open on screen, unless you turn on background tracing in Settings.',
    zh: '仅在小程序处于前台时记录接触，除非在“设置”中开启后台记录。',
  },
  tracingOn: { en: 'Tracing is on', zh: '接触记录已开启' },
  tracingOff: { en: 'Tracing is off', zh: '接触记录已关闭' },
  startTracing: { en: 'Start tracing', zh: '开始记录' },
  stopTracing: { en: 'Stop tracing', zh: '停止记录' },
  encounters: { en: '{n} nearby phones recorded', zh: '已记录{n}个附近设备' },
  // what this super-app cannot do (host/features.ts), said where the feature would be
  featureOff_beacon: {
    en: 'This app cannot send a Bluetooth beacon: phones near you will not learn of your visit. It still listens for theirs.',
    zh: '此应用无法发送蓝牙信标：附近的手机不会记录到您。本机仍会记录附近手机的信标。',
  },
  featureOff_listen: {
    en: 'This app cannot use Bluetooth: exposures are found through venue check-ins only.',
    zh: '此应用无法使用蓝牙：只能通过场所登记发现接触。',
  },
  listeningOnly: { en: 'Listening for nearby phones (no beacon)', zh: '正在记录附近手机（不发送信标）' },
} as const;
