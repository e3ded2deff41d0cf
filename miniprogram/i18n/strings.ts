/** Interface strings in Simplified Chinese and English; the host's language chooses. */
import type { Language } from '../host/types';

export type { Language };

const STRINGS = {
  appName: { en: 'Health code', zh: '健康码' },
  green: { en: 'Green', zh: '绿码' },
  yellow: { en: 'Yellow', zh: '黄码' },
  red: { en: 'Red', zh: '红码' },
  greenHint: { en: 'No exposure found in the last 14 days.', zh: '过去14天未发现接触风险。' },
  yellowHint: {
    en: 'A possible exposure was found. Watch for symptoms and consider a test.',
    zh: '发现可能的接触。请留意症状，建议检测。',
  },
  redHint: {
    en: "A significant exposure or your own positive report. Follow the health authority's advice.",
    zh: '存在较高风险接触或您已上报阳性。请遵循卫生部门的建议。',
  },
  foregroundOnly: {
    en: 'Tracing runs only while this mini-program is open on screen. Keep it open in crowded places.',
    zh: '仅在小程序处于前台时记录接触。在人多的场所请保持小程序打开。',
  },
  tracingOn: { en: 'Tracing is on', zh: '接触记录已开启' },
  tracingOff: { en: 'Tracing is off', zh: '接触记录已关闭' },
  startTracing: { en: 'Start tracing', zh: '开始记录' },
  stopTracing: { en: 'Stop tracing', zh: '停止记录' },
  syncNow: { en: 'Check for exposures', zh: '检查接触风险' },
  syncing: { en: 'Checking… {done}/{total}', zh: '正在检查… {done}/{total}' },
  lastSync: { en: 'Last checked {age} ago', zh: '上次检查：{age}前' },
  neverSynced: { en: 'Not checked yet', zh: '尚未检查' },
  statusAge: { en: 'Status computed {age} ago', zh: '状态计算于{age}前' },
  acceptedUntil: { en: 'Gates accept this code until {time}.', zh: '此码在核验点有效至{time}。' },
  expiresSoon: {
    en: 'Gates will refuse this code after {time}: check for exposures now to keep it valid.',
    zh: '此码将于{time}后在核验点失效，请立即检查接触风险以保持有效。',
  },
  expired: { en: 'Gates refuse this code: check for exposures to renew it.', zh: '此码已在核验点失效，请检查接触风险以更新。' },
  retryAt: { en: 'The phone tries again by itself at {time}.', zh: '将于{time}自动重试。' },
  needSyncForCode: {
    en: 'Check for exposures once to get a health code a gate can verify.',
    zh: '请先检查一次接触风险，以生成可供核验的健康码。',
  },
  reasons: { en: 'Why', zh: '原因' },
  details: { en: 'Details', zh: '详情' },
  noReasons: { en: 'Nothing to report.', zh: '无风险记录。' },
  reasonSelf: { en: 'You reported a positive test on {date}.', zh: '您于{date}上报了阳性检测结果。' },
  reasonBluetooth: {
    en: 'On {date} you were near someone who later tested positive: {minutes} min ({near} min near, {medium} min medium distance).',
    zh: '{date}您曾靠近一名后来确诊者：共{minutes}分钟（近距离{near}分钟，中距离{medium}分钟）。',
  },
  reasonVenue: {
    en: 'You were at {venue} on {date} for {minutes} minutes while someone who later tested positive was there.',
    zh: '{date}您在{venue}停留了{minutes}分钟，期间有后来确诊者在场。',
  },
  report: { en: 'I tested positive', zh: '我已确诊' },
  reportTitle: { en: 'Report a positive test', zh: '上报阳性结果' },
  reportIntro: {
    en: 'Enter the code the health authority gave you. Your daily keys are uploaded; nothing about who you are.',
    zh: '请输入卫生部门提供的上报码。仅上传每日密钥，不含任何身份信息。',
  },
  codePlaceholder: { en: 'Code, e.g. ABCDE-12345', zh: '上报码，例如 ABCDE-12345' },
  daysToUpload: { en: 'Days to upload (tap to leave one out)', zh: '将上传的日期（点击可排除）' },
  leftOut: { en: 'left out', zh: '已排除' },
  includeCheckins: { en: 'Also upload my {n} venue check-ins', zh: '同时上传我的{n}条场所登记' },
  confirmUpload: { en: 'Upload', zh: '确认上传' },
  uploading: { en: 'Uploading…', zh: '正在上传…' },
  uploadDone: {
    en: 'Thank you. {n} daily keys were uploaded; your phone now uses new keys.',
    zh: '感谢您。已上传{n}个每日密钥，手机已更换新密钥。',
  },
  uploadOffline: {
    en: 'The server cannot be reached, so nothing was uploaded. Check the network and upload again.',
    zh: '无法连接服务器，未上传任何内容。请检查网络后重新上传。',
  },
  uploadFailed: { en: 'The upload failed: {reason}. Nothing was changed.', zh: '上传失败：{reason}。未做任何更改。' },
  codeUnknown: { en: 'This code is not known. Check it and try again.', zh: '上报码无效，请核对后重试。' },
  codeUsed: { en: 'This code was already used. Ask the health authority for a new one.', zh: '上报码已被使用，请向卫生部门申请新码。' },
  codeExpired: { en: 'This code has expired. Ask the health authority for a new one.', zh: '上报码已过期，请向卫生部门申请新码。' },
  codeRateLimited: { en: 'Too many wrong codes. Wait a minute and try again.', zh: '错误次数过多，请一分钟后重试。' },
  codeFormat: { en: 'A code has 10 letters and digits, like ABCDE-12345.', zh: '上报码为10位字母和数字，例如 ABCDE-12345。' },
  exposureTitle: { en: 'Exposure details', zh: '接触详情' },
  settings: { en: 'Settings', zh: '设置' },
  privacyTitle: { en: 'Privacy', zh: '隐私说明' },
  privacyText: {
    en: 'Your phone makes a secret key that never leaves it and broadcasts short-lived random codes derived from it. It records the codes of phones nearby, on this phone only. Your status is computed on this phone. The server stores no name, phone number, location or network address: like every server it sees the network address a phone connects from, but it neither logs nor keeps it. If you test positive you choose whether to upload your daily keys. Now and then your phone sends a dummy upload, so that nobody watching the network can tell a real report from a dummy.',
    zh: '您的手机会生成一个永不离开手机的密钥，并广播由其派生的短时随机码。附近手机的随机码仅保存在本机。风险状态在本机计算。服务器不保存姓名、手机号、位置或网络地址：与所有服务器一样，它能看到手机连接时的网络地址，但既不记录也不保存。确诊后由您决定是否上传每日密钥。手机会不时发送虚拟上传，使网络上的观察者无法分辨真实上报与虚拟上传。',
  },

  consent: { en: 'I agree to Bluetooth tracing as described', zh: '我同意按上述方式进行蓝牙接触记录' },
  consentGiven: { en: 'Consent given', zh: '已同意' },
  withdrawConsent: { en: 'Withdraw consent', zh: '撤回同意' },
  needConsent: { en: 'Agree to the privacy notice in Settings first.', zh: '请先在设置中同意隐私说明。' },
  deleteAll: { en: 'Delete all my data', zh: '删除我的全部数据' },
  resetDone: { en: 'All data was deleted. A new key was created.', zh: '所有数据已删除，已生成新密钥。' },
  keyFromBuild: { en: 'Server key: pinned in this build.', zh: '服务器公钥：已内置于本版本。' },
  keyFromServer: {
    en: 'Development build: the server key was pinned on first use, not in the build.',
    zh: '开发版本：服务器公钥为首次使用时获取并固定，未内置于版本中。',
  },
  keyNone: {
    en: 'Development build: the server key will be pinned at the first check.',
    zh: '开发版本：首次检查时将获取并固定服务器公钥。',
  },
  syncRejected: {
    en: 'The key list from the server failed verification and was not used ({reason}).',
    zh: '服务器下发的密钥列表未通过校验，已拒绝使用（{reason}）。',
  },
  syncOffline: {
    en: 'The server cannot be reached. Your last status is kept; we will try again.',
    zh: '无法连接服务器。保留上次状态，稍后重试。',
  },
  syncFailed: { en: 'Checking failed: {reason}', zh: '检查失败：{reason}' },
  storageRecovered: {
    en: 'Some stored data was damaged and has been removed. Tracing continues.',
    zh: '部分本地数据已损坏并被清除，记录将继续。',
  },
  encounters: { en: '{n} nearby phones recorded', zh: '已记录{n}个附近设备' },
  minutes: { en: '{n} min', zh: '{n}分钟' },
  hours: { en: '{n} h', zh: '{n}小时' },
  days: { en: '{n} d', zh: '{n}天' },
  checkin: { en: 'Venue check-in', zh: '场所登记' },
  gate: { en: 'Gate mode', zh: '核验模式' },
  back: { en: 'Back', zh: '返回' },
  scanVenue: { en: 'Scan a venue code', zh: '扫描场所码' },
  stayFor: { en: 'How long will you stay?', zh: '预计停留多久？' },
  stayMinutes: { en: '{n} min', zh: '{n}分钟' },
  stayDefault: { en: '{n} min (venue default)', zh: '{n}分钟（场所默认）' },
  checkedIn: { en: 'Checked in at {venue} until {until}', zh: '已在{venue}登记，至{until}' },
  checkOutNow: { en: 'Check out now', zh: '立即离开' },
  checkinsTitle: { en: 'My check-ins (14 days)', zh: '我的场所登记（14天）' },
  noCheckins: { en: 'No check-ins yet.', zh: '暂无登记。' },
  checkinLine: { en: '{date} {from}–{to} {venue}', zh: '{date} {from}–{to} {venue}' },
  checkinStaysOnPhone: { en: 'The venue and its name stay on this phone.', zh: '场所信息仅保存在本机。' },
  venueRefused: { en: 'This code cannot be used: {reason}', zh: '无法使用此码：{reason}' },
  staffShift: { en: 'Staff code: covers your shift', zh: '员工码：覆盖整个班次' },
  gateTitle: { en: "Scan a visitor's health code", zh: '扫描访客健康码' },
  gateScan: { en: 'Scan', zh: '扫码' },
  gateNext: { en: 'Scan the next visitor', zh: '扫描下一位' },
  gateInvalid: { en: 'Not valid', zh: '无效' },
  gateNoKey: { en: 'The gate has no server key yet: connect once to pin it.', zh: '尚未获取服务器公钥，请联网一次。' },
  gateNoLog: { en: 'This gate keeps no record of visitors.', zh: '本核验不保存任何访客记录。' },
  gr_not_a_health_code: { en: 'This is not a PrTC health code.', zh: '这不是健康码。' },
  gr_unsupported_version: { en: 'This health code version is not supported.', zh: '不支持此版本的健康码。' },
  gr_invalid_health_code: { en: 'The health code is damaged or altered.', zh: '健康码已损坏或被篡改。' },
  gr_bad_signature: {
    en: 'The code was not made from genuine key lists (forged or altered).',
    zh: '健康码并非基于真实密钥列表（伪造或篡改）。',
  },
  gr_stale_code: { en: 'The code is older than 60 seconds (a screenshot?).', zh: '健康码已超过60秒（可能是截图）。' },
  gr_future_code: { en: 'The code is dated in the future; check the phone clock.', zh: '健康码时间在未来，请检查手机时间。' },
  gr_sync_too_old: { en: 'The phone has not checked for exposures in the last 24 hours.', zh: '该手机24小时内未检查接触风险。' },
  gr_sync_in_future: { en: 'The key list is dated in the future.', zh: '密钥列表时间在未来。' },
  gr_status_after_issue: { en: 'The status time is inconsistent.', zh: '状态时间不一致。' },
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
  damage_tek: {
    en: 'Your secret key was damaged and a new one was made. If you test positive, days before today cannot be reported.',
    zh: '您的密钥已损坏并已重新生成。如果确诊，今天之前的日期将无法上报。',
  },
  damage_sync: {
    en: 'Your exposure check was damaged; it is being done again from the start.',
    zh: '接触风险检查记录已损坏，正在重新检查。',
  },
  damage_report: {
    en: 'The record of your own positive report was damaged; your status may show green although you reported.',
    zh: '您的阳性上报记录已损坏，状态可能显示为绿码，尽管您已上报。',
  },
  damage_checkins: { en: 'Your venue check-ins were damaged and are lost.', zh: '您的场所登记记录已损坏并丢失。' },
  damage_enc: { en: 'Contacts recorded on {date} were damaged and are lost.', zh: '{date}记录的接触信息已损坏并丢失。' },
  damage_consent: {
    en: 'Your consent to tracing was lost; agree again in Settings to trace.',
    zh: '您的接触记录同意已丢失，请在设置中重新同意。',
  },
  damage_other: { en: 'Some settings were damaged and were reset.', zh: '部分设置已损坏并已重置。' },
} as const;

export type StringKey = keyof typeof STRINGS;

export function t(lang: Language, key: StringKey, params: Record<string, string | number> = {}): string {
  let s: string = STRINGS[key][lang];
  for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

export function age(lang: Language, seconds: number): string {
  if (seconds < 3600) return t(lang, 'minutes', { n: Math.max(0, Math.floor(seconds / 60)) });
  if (seconds < 86400 * 2) return t(lang, 'hours', { n: Math.floor(seconds / 3600) });
  return t(lang, 'days', { n: Math.floor(seconds / 86400) });
}
