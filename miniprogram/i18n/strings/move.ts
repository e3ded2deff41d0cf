/** Moving to a new phone (issue 32, docs/protocol.md §17): the old phone's side, the new phone's side, every refusal. */
export const MOVE = {
  title_move: { en: 'Move phones', zh: '迁移手机' },
  moveTitle: { en: 'Move to a new phone', zh: '迁移到新手机' },
  moveSettings: { en: 'Move to a new phone, or from an old one', zh: '迁移到新手机，或从旧手机迁移' },
  moveInTitle: { en: 'Move from my old phone', zh: '从旧手机迁移' },
  moveIntro: {
    en: 'Your keys, encounters, check-ins and everything else this phone keeps move to your new phone directly, encrypted under a one-time code. No server stores them. This phone keeps its data until the new phone confirms.',
    zh: '您的密钥、接触记录、场所登记以及本机保存的其他数据将以一次性验证码加密，直接迁移到新手机，不经任何服务器保存。在新手机确认之前，本机会保留全部数据。',
  },
  moveStart: { en: 'Show the move codes', zh: '显示迁移二维码' },
  moveCode: { en: 'Type this code on the new phone: {code}', zh: '请在新手机上输入此验证码：{code}' },
  moveFrame: { en: 'QR code {n} of {count}: scan each one with the new phone.', zh: '第 {n} / {count} 个二维码：请用新手机逐个扫描。' },
  moveUntil: { en: 'These codes work until {time}.', zh: '这些二维码在 {time} 前有效。' },
  moveShare: { en: 'Or send them as one file to a chat', zh: '或作为一个文件发送到聊天' },
  moveShareWhy: {
    en: 'Many QR codes: sending them as a file to yourself (for example to File Transfer) is quicker. The file is encrypted; it opens only with the code.',
    zh: '二维码较多：作为文件发送给自己（例如“文件传输助手”）更快。文件已加密，只有输入验证码才能打开。',
  },
  moveShared: { en: 'File sent. On the new phone, open it from the chat.', zh: '文件已发送。请在新手机上从聊天中打开。' },
  moveConfirm: { en: "Scan the new phone's confirmation", zh: '扫描新手机上的确认码' },
  moveCancel: { en: 'Cancel the move', zh: '取消迁移' },
  moveCancelled: { en: 'The move was cancelled. Nothing was deleted.', zh: '迁移已取消，未删除任何数据。' },
  moveDoneOld: {
    en: 'The new phone has your data. Everything was deleted from this phone.',
    zh: '新手机已收到您的数据，本机上的数据已全部删除。',
  },
  moveNotConfirmed: {
    en: 'That is not the confirmation of this move. Nothing was deleted.',
    zh: '这不是本次迁移的确认码，未删除任何数据。',
  },
  moveNoPending: {
    en: 'There is no move in progress on this phone (or it expired). Nothing was deleted.',
    zh: '本机没有进行中的迁移（或已过期），未删除任何数据。',
  },
  moveFailed: { en: 'The move codes could not be made: {reason}', zh: '无法生成迁移二维码：{reason}' },
  moveInIntro: {
    en: 'On the old phone open Settings → Move to a new phone. Type the code it shows, then scan its QR codes.',
    zh: '请在旧手机上打开“设置 → 迁移到新手机”，输入其显示的验证码，然后扫描其二维码。',
  },
  moveInCodeLabel: { en: 'Code from the old phone', zh: '旧手机上的验证码' },
  moveInCodeSet: { en: 'Code entered. Now scan the QR codes.', zh: '已输入验证码，请扫描二维码。' },
  moveInBadCode: {
    en: 'A code has 10 letters and digits, as the old phone shows it.',
    zh: '验证码为 10 位字母和数字，与旧手机上显示的一致。',
  },
  moveInScan: { en: 'Scan the next QR code', zh: '扫描下一个二维码' },
  moveInLive: { en: 'Open the camera and hold it to the old phone', zh: '打开相机，对准旧手机' },
  moveInLiveHint: {
    en: 'Hold the camera to the old phone’s screen: each QR code is read as it appears. No need to tap.',
    zh: '请将相机对准旧手机屏幕：每个二维码出现时会自动读取，无需点击。',
  },
  featureOff_liveScan: {
    en: 'Here the camera cannot stay open to read QR codes: scan each one with the button.',
    zh: '此处相机无法保持打开自动读取二维码：请用按钮逐个扫描。',
  },
  moveInLiveStop: { en: 'Close the camera', zh: '关闭相机' },
  moveInCameraRefused: {
    en: 'The camera is not allowed for this mini-program. Allow it in the mini-program’s settings, or scan each QR code with the button below.',
    zh: '此小程序未获准使用相机。请在小程序设置中允许，或使用下方按钮逐个扫描二维码。',
  },
  moveInPick: { en: 'Open the file from a chat', zh: '从聊天中打开文件' },
  moveInProgress: { en: '{have} of {count} QR codes scanned', zh: '已扫描 {have} / {count} 个二维码' },
  moveInComplete: { en: 'All QR codes scanned.', zh: '所有二维码已扫描。' },
  moveInImport: { en: 'Import my data', zh: '导入我的数据' },
  moveInReplace: {
    en: 'This phone already holds data of its own. Importing replaces it. Tap again to replace it.',
    zh: '本机已有数据，导入将替换这些数据。再点一次以替换。',
  },
  moveInDone: {
    en: 'Your data is on this phone. Let the old phone scan this confirmation; it then deletes its copy.',
    zh: '您的数据已迁移到本机。请用旧手机扫描此确认码，旧手机随后会删除其数据。',
  },
  // at launch: the mini-program was killed in the middle of an import, which was undone
  moveInterrupted: {
    en: 'Moving your data from the old phone was interrupted. Nothing of it was kept on this phone. The old phone still has everything: type its code and scan its QR codes again.',
    zh: '从旧手机迁移数据时被中断，本机未保留任何迁移数据。旧手机仍保留全部数据：请重新输入其验证码并扫描其二维码。',
  },
  moveInterruptedOwn: {
    en: "This phone's own data, which you agreed to replace, was deleted too.",
    zh: '您同意替换的本机原有数据也已删除。',
  },
  moveInAgain: {
    en: 'Agree to tracing again on this phone: it was not carried over.',
    zh: '请在本机重新同意接触记录：此项不会随迁移转移。',
  },
  // refusals: nothing changed on this phone
  move_not_a_transfer: {
    en: 'This is not a QR code of a move to a new phone. Nothing was changed.',
    zh: '这不是迁移用的二维码，未做任何更改。',
  },
  move_transfer_mismatch: {
    en: 'This QR code does not fit the code you typed, or it was altered. Check the code on the old phone. Nothing was changed.',
    zh: '此二维码与您输入的验证码不符，或已被篡改。请核对旧手机上的验证码。未做任何更改。',
  },
  move_transfer_other: {
    en: 'This QR code belongs to another move. Start again with the codes the old phone shows now. Nothing was changed.',
    zh: '此二维码属于另一次迁移。请用旧手机当前显示的二维码重新开始。未做任何更改。',
  },
  move_transfer_expired: {
    en: 'These QR codes have expired. Make new ones on the old phone. Nothing was changed.',
    zh: '这些二维码已过期，请在旧手机上重新生成。未做任何更改。',
  },
  move_transfer_replayed: {
    en: 'This move was already imported on this phone. Nothing was changed.',
    zh: '本机已导入过这次迁移，未做任何更改。',
  },
  move_transfer_invalid: {
    en: 'The data of this move cannot be read by this version. Nothing was changed.',
    zh: '此版本无法读取本次迁移的数据，未做任何更改。',
  },
  move_transfer_incomplete: {
    en: 'Some QR codes are still missing. Nothing was changed.',
    zh: '仍有二维码未扫描，未做任何更改。',
  },
  move_transfer_no_code: { en: 'Type the code from the old phone first.', zh: '请先输入旧手机上的验证码。' },
  move_transfer_too_large: {
    en: 'The data does not fit in WeChat’s storage on this phone (10 MB in all, 1 MB an item). Nothing was changed.',
    zh: '这些数据超出本机微信存储的上限（共 10 兆字节，每项 1 兆字节），未做任何更改。',
  },
  move_storage_full: {
    en: 'WeChat’s storage on this phone is full. Nothing was changed.',
    zh: '本机微信存储已满，未做任何更改。',
  },
} as const;
