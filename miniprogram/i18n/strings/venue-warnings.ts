/**
 * Venue warnings in levels, with thresholds (issue 31): which rule made a venue warning count, who
 * asks what of the visitors, the authority's number, and the level's advice.
 */
export const VENUE_WARNINGS = {
  // a stay where diagnosed visitors were (the rule's sentence follows: how many, the threshold)
  reasonVenueStay: { en: '{when}: at {venue} for {duration}.', zh: '{when}：在{venue}停留，重叠{duration}。' },
  // who asks (the deciding warning's source), then what (its level)
  reasonVenueAuthority: {
    en: '{when}: the health authority asks everyone who was at {venue} at that time to {action}. You were there for {duration}.',
    zh: '{when}：卫生部门要求当时到过{venue}的所有人{action}。您在场{duration}。',
  },
  reasonVenueOwner: {
    en: '{when}: {venue}, with a code from the health authority, asks everyone who was there at that time to {action}. You were there for {duration}.',
    zh: '{when}：{venue}经卫生部门授权，要求当时到过该场所的所有人{action}。您在场{duration}。',
  },
  warnAction_inform: { en: 'know that someone who later tested positive was there', zh: '知悉曾有后来确诊者在场' },
  warnAction_test: { en: 'get tested', zh: '进行检测' },
  warnAction_isolate: { en: 'stay at home and get tested', zh: '居家隔离并进行检测' },
  // the rule that applied (docs/protocol.md §7: thresholds per kind of place)
  // a cluster can be of one only where the threshold is 1: the sentence before already says someone was there
  reasonRuleClusterOne: {
    en: 'At this kind of place ({type}) one is enough: the threshold is 1.',
    zh: '此类场所（{type}）的阈值为1人，一名确诊者在场即计入。',
  },
  reasonRuleCluster: {
    en: '{count} people who later tested positive were here while you were — the threshold for this kind of place ({type}) is {threshold}.',
    zh: '有{count}名后来确诊者与您同时在场——此类场所（{type}）的阈值为{threshold}人。',
  },
  reasonRuleLevel: {
    en: 'A warning of this level counts at any kind of place, whatever the threshold ({type}: {threshold}).',
    zh: '此级别的警示在任何场所均计入，不受阈值限制（{type}：{threshold}）。',
  },
  reasonTel: { en: "Health authority's number: {tel}.", zh: '卫生部门电话：{tel}。' },
  levelAdvice: { en: 'What to do after this warning: {advice}', zh: '收到此警示后怎么做：{advice}' },
  // the owner's warning on the Venue code page (a venue made on this phone, the authority's one-time code)
  warnVisitors: { en: 'Warn visitors', zh: '提醒到访者' },
  warnIntro: {
    en: 'The health authority gives you a one-time venue warning code when someone who was here tests positive. Everyone who checked in here during the time you choose is warned; the name of the place is not sent.',
    zh: '当到访过本场所的人员确诊时，卫生部门会向您提供一次性场所提醒码。在您所选时段内于本场所登记过的所有人都会收到提醒；场所名称不会被发送。',
  },
  warnCode: { en: 'Venue warning code', zh: '场所提醒码' },
  warnFrom: { en: 'From', zh: '开始' },
  warnUntil: { en: 'Until', zh: '结束' },
  warnConfirm: { en: 'Send the warning', zh: '发送提醒' },
  warnCancel: { en: 'Cancel', zh: '取消' },
  warnSending: { en: 'Sending…', zh: '正在发送…' },
  warnSent: {
    en: 'The warning was accepted ({level}). Visitors of that time see it after their next check, within a day.',
    zh: '提醒已被接受（{level}）。该时段的到访者将在下次检查时（一天内）收到提醒。',
  },
  warnLevel_inform: { en: 'for information', zh: '告知' },
  warnLevel_test: { en: 'get tested', zh: '请检测' },
  warnLevel_isolate: { en: 'stay at home', zh: '请居家' },
  warnCodeEmpty: { en: 'Enter the venue warning code the health authority gave you.', zh: '请输入卫生部门提供的场所提醒码。' },
  warnCodeUnknown: { en: 'This venue warning code is not known. Check it and try again.', zh: '场所提醒码无效，请核对后重试。' },
  warnCodeUsed: {
    en: 'This venue warning code was already used: each code warns once. Ask the health authority for a new one.',
    zh: '场所提醒码已被使用，每个码只能使用一次。请向卫生部门申请新码。',
  },
  warnCodeExpired: {
    en: 'This venue warning code has expired. Ask the health authority for a new one.',
    zh: '场所提醒码已过期，请向卫生部门申请新码。',
  },
  warnCodeVoided: {
    en: 'The health authority withdrew this venue warning code. Ask for a new one.',
    zh: '卫生部门已撤回此场所提醒码，请申请新码。',
  },
  warnWindow_order: { en: 'The end of the time must come after its start.', zh: '结束时间必须晚于开始时间。' },
  warnWindow_too_long: {
    en: 'One warning covers at most a day: send a warning for each day.',
    zh: '一条提醒最多覆盖一天，请按天分别发送。',
  },
  warnWindow_too_old: { en: 'A warning can start at most 14 days ago.', zh: '提醒时段最早只能从14天前开始。' },
  warnWindow_future: {
    en: 'A warning is about the past: its end cannot be later than now.',
    zh: '提醒针对的是过去的时段，结束时间不能晚于现在。',
  },
  warnWindowRefused: {
    en: 'The server refused this time window. Check the dates and try again.',
    zh: '服务器拒绝了该时段，请核对日期后重试。',
  },
  warnRefused: {
    en: 'The server refused the warning. Check the code and the time, and try again.',
    zh: '服务器拒绝了此提醒，请核对提醒码和时段后重试。',
  },
} as const;
