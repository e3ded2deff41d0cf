/**
 * Host errors, with the Bluetooth error codes of the WeChat host (10000–10013) and sentences a
 * user understands, in both languages.
 */
import type { Language } from './types';

export type HostErrorCode =
  | 10000 | 10001 | 10002 | 10003 | 10004 | 10005 | 10006 | 10007 | 10008 | 10009 | 10010 | 10011 | 10012 | 10013
  | 'unauthorized' | 'cancelled' | 'network' | 'timeout' | 'storage_full' | 'unsupported' | 'unknown';

const MESSAGES: Record<string, { en: string; zh: string }> = {
  10000: { en: 'Bluetooth is not ready yet. Try again in a moment.', zh: '蓝牙尚未就绪，请稍后重试。' },
  10001: { en: 'Bluetooth is off. Turn it on in the phone settings, then try again.', zh: '蓝牙未开启。请在手机设置中打开蓝牙后重试。' },
  10002: { en: 'The Bluetooth device was not found.', zh: '未找到蓝牙设备。' },
  10003: { en: 'The Bluetooth connection failed.', zh: '蓝牙连接失败。' },
  10004: { en: 'The Bluetooth service was not found.', zh: '未找到蓝牙服务。' },
  10005: { en: 'The Bluetooth characteristic was not found.', zh: '未找到蓝牙特征值。' },
  10006: { en: 'The Bluetooth connection was lost.', zh: '蓝牙连接已断开。' },
  10007: { en: 'This Bluetooth operation is not supported.', zh: '不支持此蓝牙操作。' },
  10008: { en: 'The phone reported a Bluetooth error. Turn Bluetooth off and on, then try again.', zh: '系统蓝牙出错。请关闭再打开蓝牙后重试。' },
  10009: { en: 'This phone does not support Bluetooth Low Energy tracing.', zh: '此手机不支持低功耗蓝牙，无法记录接触。' },
  10010: { en: 'The Bluetooth descriptor was not found.', zh: '未找到蓝牙描述符。' },
  10011: { en: 'The Bluetooth address is not valid.', zh: '蓝牙地址无效。' },
  10012: { en: 'Bluetooth took too long to answer. Try again.', zh: '蓝牙操作超时，请重试。' },
  10013: { en: 'The Bluetooth data was not valid.', zh: '蓝牙数据无效。' },
  unauthorized: {
    en: 'The app may not use Bluetooth. Allow Bluetooth for WeChat in the phone settings and for this mini-program in its settings.',
    zh: '没有蓝牙权限。请在手机设置中允许微信使用蓝牙，并在小程序设置中允许蓝牙。',
  },
  cancelled: { en: 'Cancelled.', zh: '已取消。' },
  network: { en: 'The server cannot be reached. Check the network; we will try again.', zh: '无法连接服务器。请检查网络，稍后会自动重试。' },
  timeout: { en: 'The server took too long to answer. We will try again.', zh: '服务器响应超时，稍后会自动重试。' },
  storage_full: { en: 'The phone storage for this mini-program is full.', zh: '小程序存储空间已满。' },
  unsupported: { en: 'This WeChat version does not support this feature. Update WeChat.', zh: '当前微信版本不支持此功能，请升级微信。' },
  unknown: { en: 'Something went wrong. Try again.', zh: '出错了，请重试。' },
};

export class HostError extends Error {
  readonly code: HostErrorCode;
  readonly detail: string;
  constructor(code: HostErrorCode, detail = '') {
    super(MESSAGES[String(code)]?.en ?? MESSAGES.unknown.en);
    this.name = 'HostError';
    this.code = code;
    this.detail = detail;
  }
  /** The sentence to show the user. */
  text(lang: Language): string {
    return (MESSAGES[String(this.code)] ?? MESSAGES.unknown)[lang];
  }
}

/** Turns what a WeChat API rejected with ({ errCode, errMsg }) into a HostError. */
export function fromWechatError(e: unknown): HostError {
  if (e instanceof HostError) return e;
  const err = (e ?? {}) as { errCode?: number; errno?: number; errMsg?: string; message?: string };
  const msg = err.errMsg ?? err.message ?? '';
  if (/auth den|authorize|permission|not authorized|auth deny/i.test(msg) || err.errno === 103 || err.errno === 104) return new HostError('unauthorized', msg);
  if (/cancel/i.test(msg)) return new HostError('cancelled', msg);
  if (/timeout/i.test(msg) && err.errCode === undefined) return new HostError('timeout', msg);
  if (/exceed|storage.*(limit|max)|max size/i.test(msg)) return new HostError('storage_full', msg);
  if (typeof err.errCode === 'number' && err.errCode >= 10000 && err.errCode <= 10013) return new HostError(err.errCode as HostErrorCode, msg);
  if (/request:fail|network/i.test(msg)) return new HostError('network', msg);
  return new HostError('unknown', msg);
}
