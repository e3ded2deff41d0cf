/** The status and its reasons (home, exposure details, the health code). */
export const STATUS = {
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
  statusAge: { en: 'Status computed {age} ago', zh: '状态计算于{age}前' },
  acceptedUntil: { en: 'Gates accept this code until {time}.', zh: '此码在核验点有效至{time}。' },
  expiresSoon: {
    en: 'Gates will refuse this code after {time}: check for exposures now to keep it valid.',
    zh: '此码将于{time}后在核验点失效，请立即检查接触风险以保持有效。',
  },
  expired: { en: 'Gates refuse this code: check for exposures to renew it.', zh: '此码已在核验点失效，请检查接触风险以更新。' },
  needSyncForCode: {
    en: 'Check for exposures once to get a health code a gate can verify.',
    zh: '请先检查一次接触风险，以生成可供核验的健康码。',
  },
  reasons: { en: 'Why', zh: '原因' },
  details: { en: 'Details', zh: '详情' },
  noReasons: { en: 'Nothing to report.', zh: '无风险记录。' },
  reasonSelf: { en: 'You reported a positive test on {date}.', zh: '您于{date}上报了阳性检测结果。' },
  reasonBluetooth: {
    en: '{when}: near a phone whose owner later tested positive, for {duration}, {closeness}.',
    zh: '{when}：曾靠近一部后来确诊者的手机，{duration}，{closeness}。',
  },
  reasonVenue: {
    en: '{when}: at {venue} while someone who later tested positive was there, for {duration}.',
    zh: '{when}：在{venue}时有后来确诊者在场，重叠{duration}。',
  },
  exposureTitle: { en: 'Exposure details', zh: '接触详情' },
  statusAgeJustNow: { en: 'Status computed just now', zh: '状态刚刚更新' },
  // status shapes for screen readers and for anyone who cannot tell the colours apart
  statusA11y: { en: 'Status: {status}. {hint}', zh: '状态：{status}。{hint}' },
  qrA11y: { en: 'Health code QR code, {status}, for a gate to scan', zh: '健康码二维码，{status}，供核验点扫描' },
} as const;
