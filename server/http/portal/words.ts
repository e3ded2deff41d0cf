/** The portal's words, in Simplified Chinese and English (chosen by Accept-Language, or the switch). */
export type PortalLang = 'zh' | 'en';

export const WORDS = {
  title: { zh: 'PrTC 卫生部门门户', en: 'PrTC health-authority portal' },
  login: { zh: '登录', en: 'Log in' },
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  newPassword: { zh: '新密码', en: 'New password' },
  repeatPassword: { zh: '再次输入新密码', en: 'New password again' },
  loginFailed: {
    zh: '用户名或密码不正确，或该账户暂时无法从此浏览器登录。',
    en: 'The username or password is wrong, or this account cannot log in from this browser for a while.',
  },
  secondFactor: { zh: '第二步验证', en: 'Second step' },
  secondFactorHelp: {
    zh: '请输入验证器应用中的6位数字，或一个恢复码。',
    en: 'Enter the 6 digits your authenticator app shows, or a recovery code.',
  },
  oneTimeCode: { zh: '验证码', en: 'Code' },
  codeWrong: { zh: '验证码不正确，请重新登录。', en: 'That code is not right. Log in again.' },
  totpWrong: {
    zh: '验证码不正确，请用验证器中当前的六位数字再试。',
    en: 'That code is not right: try the six digits your authenticator shows now.',
  },
  continue: { zh: '继续', en: 'Continue' },
  logout: { zh: '退出登录', en: 'Log out' },
  issuePage: { zh: '签发', en: 'Issue' },
  issue: { zh: '签发上传码', en: 'Issue code' },
  issueHelp: {
    zh: '为确诊者签发一次性上传码。门户不询问、也不保存任何关于患者的信息。',
    en: 'Issue a one-time upload code for a diagnosed person. The portal asks nothing about the patient and keeps nothing about them.',
  },
  issued: { zh: '上传码', en: 'Upload code' },
  issuedHelp: {
    zh: '请把上传码读给患者，或让患者用小程序扫描二维码。此码只显示这一次。',
    en: 'Read the code to the patient, or let them scan the QR code with the mini-program. It is shown only this once.',
  },
  expiresIn: { zh: '剩余有效时间', en: 'Valid for' },
  expired: { zh: '已过期', en: 'expired' },
  shortId: { zh: '查询编号', en: 'Look-up id' },
  shortIdHelp: {
    zh: '之后可用此编号查询或作废此码（编号不能用于上传）。',
    en: 'Use this id later to look the code up or void it (it cannot be used to upload).',
  },
  qrLabel: { zh: '上传码链接的二维码', en: 'QR code of the upload-code link' },
  lookup: { zh: '查询', en: 'Look up' },
  lookupHelp: { zh: '输入签发时显示的查询编号。', en: 'Enter the look-up id shown when the code was issued.' },
  notFound: { zh: '本机构没有此编号的上传码。', en: 'This health authority has no code with that id.' },
  status: { zh: '状态', en: 'Status' },
  st_unused: { zh: '未使用', en: 'unused' },
  st_used: { zh: '已使用', en: 'used' },
  st_expired: { zh: '已过期', en: 'expired' },
  st_voided: { zh: '已作废', en: 'voided' },
  issuedAt: { zh: '签发时间', en: 'Issued' },
  void: { zh: '作废', en: 'Void' },
  voided: { zh: '已作废。', en: 'Voided.' },
  notVoided: { zh: '无法作废：此码已使用、已过期或已作废。', en: 'Not voided: the code is used, expired or voided already.' },
  quotaSpent: { zh: '今日配额已用完，未签发上传码。', en: 'Today’s quota is spent: no code was issued.' },
  people: { zh: '人员', en: 'People' },
  role: { zh: '角色', en: 'Role' },
  role_admin: { zh: '管理员', en: 'admin' },
  role_issuer: { zh: '签发人', en: 'issuer' },
  invite: { zh: '邀请', en: 'Invite' },
  inviteLink: {
    zh: '请把此链接交给对方（24小时内有效，仅可使用一次）：',
    en: 'Give this link to the person (valid 24 hours, once):',
  },
  disable: { zh: '停用', en: 'Disable' },
  disabled: { zh: '已停用', en: 'disabled' },
  active: { zh: '有效', en: 'active' },
  secondFactorOn: { zh: '已启用两步验证', en: 'second step on' },
  keys: { zh: 'API 密钥', en: 'API keys' },
  keysHelp: { zh: '供检验系统调用上传码接口。密钥只显示一次。', en: 'For lab systems calling the code API. A key is shown only once.' },
  keyName: { zh: '名称', en: 'Name' },
  create: { zh: '创建', en: 'Create' },
  revoke: { zh: '撤销', en: 'Revoke' },
  newKey: { zh: '新密钥（请立即保存，不会再次显示）：', en: 'New key (save it now; it is not shown again):' },
  settings: { zh: '设置', en: 'Settings' },
  requireTotp: { zh: '要求所有人启用两步验证', en: 'Require a second step for everyone' },
  dailyQuota: { zh: '本机构每日配额', en: 'Daily quota of this health authority' },
  personQuota: { zh: '每人每日配额', en: 'Daily quota per person' },
  save: { zh: '保存', en: 'Save' },
  saved: { zh: '已保存。', en: 'Saved.' },
  security: { zh: '两步验证', en: 'Second step' },
  securityHelp: {
    zh: '用验证器应用扫描二维码（或输入密钥），然后输入应用显示的6位数字。',
    en: 'Scan the QR code with an authenticator app (or type the key), then enter the 6 digits it shows.',
  },
  mustEnrol: { zh: '本机构要求两步验证：请先启用。', en: 'This health authority requires a second step: set it up first.' },
  secret: { zh: '密钥', en: 'Key' },
  enable: { zh: '启用', en: 'Turn on' },
  totpOn: { zh: '两步验证已启用。', en: 'The second step is on.' },
  recoveryCodes: {
    zh: '恢复码（每个只能用一次；手机丢失时使用。请现在保存，不会再次显示）：',
    en: 'Recovery codes (each works once, for when the phone is lost; save them now, they are not shown again):',
  },
  stats: { zh: '统计', en: 'Statistics' },
  day: { zh: '日期', en: 'Day' },
  c_issued: { zh: '签发', en: 'issued' },
  c_used: { zh: '已使用', en: 'used' },
  c_expired: { zh: '已过期', en: 'expired' },
  c_voided: { zh: '已作废', en: 'voided' },
  download: { zh: '下载', en: 'Download' },
  failedToday: { zh: '今日登录失败次数', en: 'Failed logins today' },
  audit: { zh: '审计日志', en: 'Audit log' },
  when: { zh: '时间', en: 'When' },
  who: { zh: '操作人', en: 'Who' },
  what: { zh: '操作', en: 'What' },
  actions: { zh: '可执行的操作', en: 'Actions' },
  subject: { zh: '对象', en: 'Subject' },
  setPassword: { zh: '设置密码', en: 'Set your password' },
  setPasswordHelp: {
    zh: '至少12个字符；请勿使用常见密码。',
    en: 'At least 12 characters; not a common password.',
  },
  pw_too_short: { zh: '密码至少需要12个字符。', en: 'The password needs at least 12 characters.' },
  pw_too_long: { zh: '密码最多128个字符。', en: 'The password can have at most 128 characters.' },
  pw_common: { zh: '此密码太常见或太容易猜到，请换一个。', en: 'This password is too common or too easy to guess: choose another.' },
  pw_mismatch: { zh: '两次输入的密码不一致。', en: 'The two passwords differ.' },
  linkInvalid: { zh: '此链接已失效，请向管理员申请新链接。', en: 'This link is not valid any more: ask your administrator for a new one.' },
  passwordSet: { zh: '密码已设置，请登录。', en: 'Your password is set: log in.' },
  forbidden: { zh: '此页面需要管理员权限。', en: 'This page is for administrators.' },
  badRequest: { zh: '请求无效（表单已过期？请返回重试）。', en: 'That request was not valid (an old form? go back and try again).' },
  serverError: { zh: '服务器暂时无法处理，请稍后重试。', en: 'The server cannot do that right now; try again shortly.' },
  language: { zh: 'English', en: '中文' },
  skip: { zh: '跳到主要内容', en: 'Skip to the content' },
  loggedInAs: { zh: '当前用户', en: 'Logged in as' },
  invalidValue: { zh: '输入无效：', en: 'Not valid: ' },
  usernameRule: {
    zh: '用户名为 3–64 个小写字母、数字或“.”“_”“-”。',
    en: 'A username is 3–64 lower-case letters, digits, “.”, “_” or “-”.',
  },
  usernameTaken: { zh: '该用户名已被使用。', en: 'That username is taken.' },
  roleRule: { zh: '角色只能是管理员或签发人员。', en: 'The role is admin or issuer.' },
  keyNameRule: { zh: 'API 密钥名称为 1–64 个字母、数字或“.”“_”“-”。', en: 'A key name is 1–64 letters, digits, “.”, “_” or “-”.' },
  keyNameTaken: {
    zh: '已有同名的有效 API 密钥（先停用它才能重用该名称）。',
    en: 'An active key has that name (revoke it first to reuse the name).',
  },
  quotaRule: { zh: '配额为 0 至 100000 的整数。', en: 'A quota is a whole number from 0 to 100000.' },
} as const;

export type WordKey = keyof typeof WORDS;

export function w(lang: PortalLang, key: WordKey): string {
  return WORDS[key][lang];
}

/** The language of a request: the switch's cookie, else the first of Accept-Language that is Chinese or English. */
export function langOf(cookie: string | undefined, acceptLanguage: string): PortalLang {
  if (cookie === 'zh' || cookie === 'en') return cookie;
  for (const part of acceptLanguage.split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh';
}
