/** The history page. */
export const HISTORY = {
  // history
  history: { en: 'History', zh: '历史记录' },
  historyIntro: {
    en: 'What this phone found and did in the last 14 days. It stays on this phone and is deleted with everything else.',
    zh: '本机过去14天的发现与操作记录，仅保存在本机，随“删除我的全部数据”一并删除。',
  },
  historyExposures: { en: 'Exposures found', zh: '发现的接触' },
  historyNoExposures: { en: 'No exposure found.', zh: '未发现接触。' },
  historyExposureBt: {
    en: '{when}: near a phone whose owner later tested positive, {duration} ({band}); {counts}',
    zh: '{when}：靠近一部后来确诊者的手机，{duration}（{band}）；{counts}',
  },
  historyExposureVenue: {
    en: '{when}: at {venue} for {duration} while someone who later tested positive was there; {counts}',
    zh: '{when}：在{venue}停留期间有后来确诊者在场，重叠{duration}；{counts}',
  },
  band_near: { en: 'near', zh: '近距离' },
  band_medium: { en: 'medium distance', zh: '中距离' },
  band_far: { en: 'far', zh: '远距离' },
  counts_yes: { en: 'counts towards your status', zh: '计入风险状态' },
  counts_no: { en: 'too short or too far to count', zh: '时间太短或距离太远，不计入风险状态' },
  historySyncs: { en: 'Exposure checks', zh: '接触风险检查' },
  historyNoSyncs: { en: 'No check yet.', zh: '尚无检查记录。' },
  historySyncOk: { en: '{time}: {n} new key lists checked', zh: '{time}：检查了{n}个新密钥列表' },
  historySyncNone: { en: '{time}: nothing new', zh: '{time}：没有新内容' },
  historySyncFailed: { en: '{time}: failed ({why})', zh: '{time}：失败（{why}）' },
  why_network: { en: 'no connection', zh: '无法连接' },
  why_verification: { en: 'a list failed verification', zh: '列表未通过校验' },
  why_server: { en: 'server error', zh: '服务器错误' },
  why_storage: { en: 'storage full', zh: '存储空间已满' },
  historyUploads: { en: 'My uploads', zh: '我的上传' },
  historyNoUploads: { en: 'No upload.', zh: '没有上传。' },
  historyUpload: { en: '{time}: {n} daily keys, {c} check-ins', zh: '{time}：{n}个每日密钥，{c}条场所登记' },
} as const;
