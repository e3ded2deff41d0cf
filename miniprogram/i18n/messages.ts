/**
 * The one place where the phone turns codes into sentences: host errors (host/errors.ts), the
 * server's and the protocol's error codes (shared/errors.ts) and a gate's reasons (§8).
 */
import type { ErrorCode } from '../../shared/errors';
import type { GateReason } from '../../shared/protocol/healthcode';
import { dayLabel } from '../../shared/protocol/time';
import type { HostErrorCode, Remedy } from '../host/errors';
import { t, type Language, type StringKey } from './strings';

export function hostErrorText(lang: Language, code: HostErrorCode): string {
  return t(lang, `host_${code}` as StringKey);
}

/** Upload failures the user can act on, by the server's error code; other codes are reported with their detail. */
const UPLOAD_ERRORS: Partial<Record<ErrorCode, StringKey>> = {
  code_unknown: 'codeUnknown',
  code_used: 'codeUsed',
  code_expired: 'codeExpired',
  rate_limited: 'codeRateLimited',
  invalid_code_format: 'codeFormat',
};

export function uploadErrorText(lang: Language, code: ErrorCode, detail: string): string {
  const key = UPLOAD_ERRORS[code];
  return key ? t(lang, key) : t(lang, 'uploadFailed', { reason: detail });
}

export function gateReasonText(lang: Language, code: GateReason): string {
  return t(lang, `gr_${code}` as StringKey);
}

/** The label of the button that applies a remedy. */
export function remedyLabel(lang: Language, remedy: NonNullable<Remedy>): string {
  return t(lang, remedy.kind === 'privacy' ? 'fix_privacy' : (`fix_${remedy.page}` as StringKey));
}

/** One sentence per damaged storage entry (storage keys as DeviceStorage reports them), saying what it means. */
export function damageText(lang: Language, keys: string[]): string[] {
  const out: string[] = [];
  const ORDER = ['tek', 'sync', 'report', 'enc.', 'checkins', 'consent'];
  const rank = (k: string) => {
    const r = ORDER.findIndex((o) => k === o || (o.endsWith('.') && k.startsWith(o)));
    return r < 0 ? ORDER.length : r;
  };
  for (const key of [...new Set(keys)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))) {
    const day = /^enc\.(\d+)$/.exec(key);
    if (day) out.push(t(lang, 'damage_enc', { date: dayLabel(Number(day[1])) }));
    else if (['tek', 'sync', 'report', 'checkins', 'consent'].includes(key)) out.push(t(lang, `damage_${key}` as StringKey));
    else if (!['riskConfig', 'tracing', 'pinnedKey'].includes(key)) out.push(t(lang, 'damage_other'));
  }
  return [...new Set(out)];
}
