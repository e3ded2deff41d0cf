/** Words every page shares: ages, dates, titles, navigation. */
export const COMMON = {
  minutes: { en: '{n} min', zh: '{n}分钟' },
  hours: { en: '{n} h', zh: '{n}小时' },
  days: { en: '{n} d', zh: '{n}天' },
  back: { en: 'Back', zh: '返回' },
  // page titles (set at run time in the user's language)
  title_home: { en: 'Health code', zh: '健康码' },
  title_report: { en: 'Report a positive test', zh: '上报阳性' },
  title_exposure: { en: 'Exposure details', zh: '接触详情' },
  title_settings: { en: 'Settings', zh: '设置' },
  title_checkin: { en: 'Venue check-in', zh: '场所登记' },
  title_gate: { en: 'Check health codes', zh: '核验健康码' },
  title_history: { en: 'History', zh: '历史记录' },
  title_venues: { en: 'Venue code', zh: '场所码' },
  title_diary: { en: 'My diary', zh: '我的日记' },
  // states
  justNow: { en: 'just now', zh: '刚刚' },
  // dates in the user's format
  dateFmt: { en: '{d} {mon}', zh: '{m}月{d}日' },
  dateTimeFmt: { en: '{date}, {time}', zh: '{date} {time}' },
  mon_1: { en: 'Jan', zh: '1' },
  mon_2: { en: 'Feb', zh: '2' },
  mon_3: { en: 'Mar', zh: '3' },
  mon_4: { en: 'Apr', zh: '4' },
  mon_5: { en: 'May', zh: '5' },
  mon_6: { en: 'Jun', zh: '6' },
  mon_7: { en: 'Jul', zh: '7' },
  mon_8: { en: 'Aug', zh: '8' },
  mon_9: { en: 'Sep', zh: '9' },
  mon_10: { en: 'Oct', zh: '10' },
  mon_11: { en: 'Nov', zh: '11' },
  mon_12: { en: 'Dec', zh: '12' },
} as const;
