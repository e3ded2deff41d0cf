/** Reporting a positive test. */
export const REPORT = {
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
  codeVoided: { en: 'The health authority withdrew this code. Ask for a new one.', zh: '卫生部门已撤回此上报码，请申请新码。' },
  codeRateLimited: { en: 'Too many wrong codes. Wait a minute and try again.', zh: '错误次数过多，请一分钟后重试。' },
  codeFormat: { en: 'A code has 10 letters and digits, like ABCDE-12345.', zh: '上报码为10位字母和数字，例如 ABCDE-12345。' },
  // uploads refused, by code
  noDaysChosen: { en: 'Choose at least one day to upload.', zh: '请至少选择一天上传。' },
  uploadServerBusy: {
    en: 'The server cannot take the upload now. Nothing was uploaded; try again in a few minutes.',
    zh: '服务器暂时无法接收上传，未上传任何内容，请几分钟后重试。',
  },
  uploadRefused: {
    en: 'The server refused the upload. Nothing was uploaded; update the mini-program and try again.',
    zh: '服务器拒绝了此次上传，未上传任何内容。请更新小程序后重试。',
  },
  codeFromLink: { en: 'The code from the link you scanned is filled in.', zh: '已填入所扫链接中的上报码。' },
  featureOff_keys: {
    en: 'This app has no secure random source, so it keeps no key of its own: there is nothing to upload from here after a positive test.',
    zh: '此应用没有安全随机数来源，因此不生成自己的密钥：检测阳性后无法从这里上传。',
  },
} as const;
