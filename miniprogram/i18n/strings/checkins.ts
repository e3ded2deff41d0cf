/** Check-ins at venues. */
export const CHECKINS = {
  checkin: { en: 'Venue check-in', zh: '场所登记' },
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
  // venue codes refused, by code
  vr_not_a_venue: { en: 'this QR code is not a venue code.', zh: '这不是场所码。' },
  vr_invalid_venue: { en: 'this venue code is damaged.', zh: '场所码已损坏。' },
  vr_unsupported_version: { en: 'this venue code is newer than this mini-program; update it.', zh: '场所码版本较新，请更新小程序。' },
  vr_venue_not_started: { en: 'this event has not started yet.', zh: '活动尚未开始。' },
  vr_venue_over: { en: 'this event is over.', zh: '活动已结束。' },
  vr_other: { en: 'this venue code cannot be read.', zh: '无法识别此场所码。' },
  eventWindow: { en: 'Event: {from} – {to}', zh: '活动时间：{from} – {to}' },
} as const;
