/**
 * The explained status (issue 29): why — day with weekday, part of the day, how long, how close —,
 * until when, what turns the code green, the authority's advice, and the signed configuration in
 * force. Everything here says only what the phone knows: time turns a code green, nothing else does.
 */
export const EXPLAINED = {
  // weekdays, 0 = Sunday (Date.getDay)
  wd_0: { en: 'Sun', zh: '周日' },
  wd_1: { en: 'Mon', zh: '周一' },
  wd_2: { en: 'Tue', zh: '周二' },
  wd_3: { en: 'Wed', zh: '周三' },
  wd_4: { en: 'Thu', zh: '周四' },
  wd_5: { en: 'Fri', zh: '周五' },
  wd_6: { en: 'Sat', zh: '周六' },
  dayWithWeekday: { en: '{weekday} {date}', zh: '{date}（{weekday}）' },
  momentWithWeekday: { en: '{day}, {time}', zh: '{day} {time}' },
  // parts of the day, in the phone's local time (never finer: docs/protocol.md §6)
  part_night: { en: 'night', zh: '凌晨' },
  part_morning: { en: 'morning', zh: '上午' },
  part_afternoon: { en: 'afternoon', zh: '下午' },
  part_evening: { en: 'evening', zh: '晚上' },
  partsJoin: { en: ' and ', zh: '、' },
  whenWithParts: { en: '{day}, {parts}', zh: '{day}{parts}' },
  // time together, in bands (docs/protocol.md §6)
  dur_under10: { en: 'less than 10 minutes', zh: '不到10分钟' },
  dur_10to30: { en: '10 to 30 minutes', zh: '10至30分钟' },
  dur_30to60: { en: '30 to 60 minutes', zh: '30至60分钟' },
  dur_over60: { en: 'more than an hour', zh: '超过1小时' },
  close_near: { en: 'close by', zh: '近距离' },
  close_medium: { en: 'a few metres away', zh: '中等距离' },
  close_far: { en: 'farther away', zh: '较远距离' },
  // until when
  untilGreen: {
    en: 'If nothing new is found, your code turns green from {time} ({left}).',
    zh: '如未发现新的接触，您的健康码将于{time}起转为绿码（{left}）。',
  },
  untilRedThenYellow: { en: 'Red until {time}, then yellow.', zh: '红码持续至{time}，之后转为黄码。' },
  untilOnCode: { en: '{status} until {time} ({left}) if nothing new is found', zh: '如无新的接触，{status}持续至{time}（{left}）' },
  leftTomorrow: { en: 'tomorrow', zh: '明天' },
  leftDays: { en: 'in {n} days', zh: '还有{n}天' },
  leftToday: { en: 'in {age}', zh: '还有{age}' },
  reasonCountsUntil: { en: 'Counts towards your status until {time}.', zh: '计入风险状态至{time}。' },
  // what turns it green: only time, and nothing the system cannot do
  turnsGreen: {
    en: 'Only time turns it green: an exposure counts for {days} days after the day it happened. A new exposure found at a later check starts the count again. A negative test result does not change the code.',
    zh: '只有时间能让健康码转绿：每次接触在发生当天之后计入{days}天。之后的检查如发现新的接触，将重新计时。阴性检测结果不会改变健康码。',
  },
  turnsGreenSelf: {
    en: 'Your positive report counts for {days} days after the day you made it; then the code turns green if no exposure counts any more. A negative test result does not change the code.',
    zh: '您的阳性上报在上报当天之后计入{days}天；此后如没有仍在计入的接触，健康码将转为绿码。阴性检测结果不会改变健康码。',
  },
  // the health authority's advice (signed configuration, §6)
  adviceTitle: { en: 'What to do', zh: '怎么做' },
  adviceHotline: { en: 'Hotline: {hotline}', zh: '咨询热线：{hotline}' },
  adviceLink: { en: 'More: {link}', zh: '详情：{link}' },
  adviceFromAuthority: { en: 'Advice of your health authority (version {serial}).', zh: '卫生部门的建议（版本{serial}）。' },
  adviceBuiltIn: {
    en: "The app's general advice: no advice of your health authority has reached this phone yet.",
    zh: '本应用的一般建议：本机尚未收到卫生部门的建议。',
  },
  // the signed configuration in force (settings) and a refused one
  configVersion: {
    en: 'Advice and risk settings: version {serial}, signed by the server and checked on this phone.',
    zh: '建议与风险设置：版本{serial}，由服务器签名并已在本机校验。',
  },
  configBuiltIn: {
    en: "Advice and risk settings: the app's own (none received from the server yet).",
    zh: '建议与风险设置：应用内置（尚未收到服务器的设置）。',
  },
  configShortVersion: { en: 'version {serial}', zh: '版本{serial}' },
  configShortBuiltIn: { en: "the app's own", zh: '应用内置设置' },
  configRefused_bad_signature: {
    en: 'The server sent advice and risk settings whose signature does not match its key: they were refused, and this phone keeps {kept}.',
    zh: '服务器发来的建议与风险设置签名与其公钥不符，已拒绝使用，本机继续使用{kept}。',
  },
  configRefused_invalid: {
    en: 'The server sent advice and risk settings this app cannot read: they were refused, and this phone keeps {kept}.',
    zh: '服务器发来的建议与风险设置无法读取，已拒绝使用，本机继续使用{kept}。',
  },
  configRefused_rollback: {
    en: 'The server sent older advice and risk settings than this phone has: they were refused, and this phone keeps {kept}.',
    zh: '服务器发来的建议与风险设置比本机现有的更旧，已拒绝使用，本机继续使用{kept}。',
  },
  // the history page: what each check compared and matched
  historySyncMatched: {
    en: '{time}: published keys compared: {keys}; matched an encounter recorded here: {matched}; matched a check-in: {venues}',
    zh: '{time}：比对已发布密钥{keys}个，其中与本机记录的接触匹配{matched}个，与场所登记匹配{venues}条',
  },
} as const;
