/** Checking the published keys. */
export const SYNC = {
  syncNow: { en: 'Check for exposures', zh: '检查接触风险' },
  syncing: { en: 'Checking… {done}/{total}', zh: '正在检查… {done}/{total}' },
  lastSync: { en: 'Last checked {age} ago', zh: '上次检查：{age}前' },
  neverSynced: { en: 'Not checked yet', zh: '尚未检查' },
  retryAt: { en: 'The phone tries again by itself at {time}.', zh: '将于{time}自动重试。' },
  syncRejected: {
    en: 'The key list from the server failed verification and was not used ({reason}).',
    zh: '服务器下发的密钥列表未通过校验，已拒绝使用（{reason}）。',
  },
  syncOffline: {
    en: 'The server cannot be reached. Your last status is kept; we will try again.',
    zh: '无法连接服务器。保留上次状态，稍后重试。',
  },
  syncFailed: { en: 'Checking failed: {reason}', zh: '检查失败：{reason}' },
  syncingStart: { en: 'Checking…', zh: '正在检查…' },
  lastSyncJustNow: { en: 'Last checked just now', zh: '上次检查：刚刚' },
  noBatchesYet: {
    en: 'The server has published no key list yet. A health code appears after its first one.',
    zh: '服务器尚未发布密钥列表，首次发布后即可生成健康码。',
  },
  // a key list that failed verification, by code
  sr_bad_signature: { en: 'a signature is not the server’s', zh: '签名与服务器公钥不符' },
  sr_bad_chain: { en: 'the server skipped, reordered or rewrote lists', zh: '服务器跳过、重排或改写了列表' },
  sr_bad_hash: { en: 'a list does not match its fingerprint', zh: '列表内容与其指纹不符' },
  sr_bad_key: { en: 'the server key is malformed', zh: '服务器公钥格式错误' },
  sr_other: { en: 'the data is malformed', zh: '数据格式错误' },
  syncServerError: {
    en: 'The server could not answer. Your last status is kept; we will try again.',
    zh: '服务器暂时无法响应。保留上次状态，稍后会自动重试。',
  },
  matchedInWorker: { en: 'Exposure checks run in a background thread ({engine}).', zh: '接触检查在后台线程中运行（{engine}）。' },
  matchedOnPage: { en: 'Exposure checks run on the page thread ({engine}).', zh: '接触检查在页面线程中运行（{engine}）。' },
  engine_simd: { en: 'WebAssembly SIMD', zh: '编译代码（向量指令）' },
  engine_wasm: { en: 'WebAssembly', zh: '编译代码' },
  engine_js: { en: 'JavaScript', zh: '脚本代码' },
} as const;
