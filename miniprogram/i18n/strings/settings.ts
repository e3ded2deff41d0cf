/** Settings: privacy, consent, the pinned key, deleting everything, damaged storage. */
export const SETTINGS = {
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
  deleteAllConfirm: { en: 'Tap again to delete all my data', zh: '再点一次，删除我的全部数据' },
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
  storageRecovered: {
    en: 'Some stored data was damaged and has been removed. Tracing continues.',
    zh: '部分本地数据已损坏并被清除，记录将继续。',
  },
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

  damage_venues: {
    en: 'The list of venue codes you made was damaged and is gone. Posters already printed still work.',
    zh: '您制作的场所码列表已损坏并被清除。已打印的海报仍可使用。',
  },
} as const;
