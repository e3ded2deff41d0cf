/** The gate that scans health codes. */
export const GATE = {
  gate: { en: 'Gate mode', zh: '核验模式' },
  gateTitle: { en: "Scan a visitor's health code", zh: '扫描访客健康码' },
  gateScan: { en: 'Scan', zh: '扫码' },
  gateNext: { en: 'Scan the next visitor', zh: '扫描下一位' },
  gateInvalid: { en: 'Not valid', zh: '无效' },
  gateNoKey: { en: 'The gate has no server key yet: connect once to pin it.', zh: '尚未获取服务器公钥，请联网一次。' },
  gateNoLog: { en: 'This gate keeps no record of visitors.', zh: '本核验不保存任何访客记录。' },
  gr_not_a_health_code: { en: 'This is not a PrTC health code.', zh: '这不是健康码。' },
  gr_unsupported_version: { en: 'This health code version is not supported.', zh: '不支持此版本的健康码。' },
  gr_invalid_health_code: { en: 'The health code is damaged or altered.', zh: '健康码已损坏或被篡改。' },
  gr_bad_signature: {
    en: 'The code was not made from genuine key lists (forged or altered).',
    zh: '健康码并非基于真实密钥列表（伪造或篡改）。',
  },
  gr_stale_code: { en: 'The code is older than 60 seconds (a screenshot?).', zh: '健康码已超过60秒（可能是截图）。' },
  gr_future_code: { en: 'The code is dated in the future; check the phone clock.', zh: '健康码时间在未来，请检查手机时间。' },
  gr_sync_too_old: { en: 'The phone has not checked for exposures in the last 24 hours.', zh: '该手机24小时内未检查接触风险。' },
  gr_sync_in_future: { en: 'The key list is dated in the future.', zh: '密钥列表时间在未来。' },
  gr_status_after_issue: { en: 'The status time is inconsistent.', zh: '状态时间不一致。' },
  // gate
  gateChecked: { en: 'What this gate checked', zh: '本核验点已核实' },
  gateCheckFresh: {
    en: 'The code was made {s} s ago on the phone shown (not a screenshot older than 60 s).',
    zh: '健康码于{s}秒前在出示的手机上生成（不是超过60秒的截图）。',
  },
  gateCheckList: {
    en: 'It names a genuine key list of the server, signed {age} ago.',
    zh: '它引用了服务器签发的真实密钥列表，签发于{age}前。',
  },
  gateCannot: {
    en: 'What no gate can check: the colour is the phone’s own result. A gate cannot prove the phone computed it honestly.',
    zh: '任何核验点都无法核实：颜色是该手机自行计算的结果，核验点无法证明手机如实计算。',
  },
  gateCodeTime: { en: 'Code made at {time}', zh: '健康码生成于{time}' },
  gateLive: { en: 'This gate screen is live: the clock moves.', zh: '本核验画面为实时画面：时钟在走动。' },
} as const;
