/**
 * The one place where the phone turns codes into sentences: host errors (host/errors.ts), the
 * server's and the protocol's error codes (shared/errors.ts), a sync's outcome and a gate's
 * reasons (§8). Nothing English from `shared/` or the server ever reaches a page: only codes do.
 */
import type { ErrorCode } from '../../shared/errors';
import { statusOf } from '../../shared/api/status';
import type { GateReason } from '../../shared/protocol/healthcode';
import type { HostErrorCode, Remedy } from '../host/errors';
import { dayText } from './dates';
import { t, type Language, type StringKey } from './index';

export function hostErrorText(lang: Language, code: HostErrorCode): string {
  return t(lang, `host_${code}` as StringKey);
}

/** Upload failures the user can act on, by the server's error code. */
const UPLOAD_ERRORS: Partial<Record<ErrorCode, StringKey>> = {
  code_unknown: 'codeUnknown',
  code_used: 'codeUsed',
  code_expired: 'codeExpired',
  code_voided: 'codeVoided',
  rate_limited: 'codeRateLimited',
  invalid_code_format: 'codeFormat',
  no_keys: 'noDaysChosen',
};

/** Why an upload failed, by code: the code's own sentence, or what a server fault or a refusal means for the user. */
export function uploadErrorText(lang: Language, code: ErrorCode): string {
  const key = UPLOAD_ERRORS[code];
  if (key) return t(lang, key);
  return t(lang, statusOf(code) >= 500 || statusOf(code) === 429 ? 'uploadServerBusy' : 'uploadRefused');
}

/** Issue 31: a venue owner's warning refused, by the server's error code (the code is the authority's venue warning code). */
const VENUE_WARNING_ERRORS: Partial<Record<ErrorCode, StringKey>> = {
  code_unknown: 'warnCodeUnknown',
  code_used: 'warnCodeUsed',
  code_expired: 'warnCodeExpired',
  code_voided: 'warnCodeVoided',
  invalid_code_format: 'warnCodeUnknown',
  invalid_interval: 'warnWindowRefused',
  rate_limited: 'codeRateLimited',
};

export function venueWarningErrorText(lang: Language, code: ErrorCode): string {
  const key = VENUE_WARNING_ERRORS[code];
  if (key) return t(lang, key);
  return t(lang, statusOf(code) >= 500 || statusOf(code) === 429 ? 'uploadServerBusy' : 'warnRefused');
}

const VENUE_REFUSALS: Partial<Record<ErrorCode, StringKey>> = {
  not_a_venue: 'vr_not_a_venue',
  invalid_venue: 'vr_invalid_venue',
  unsupported_version: 'vr_unsupported_version',
  venue_not_started: 'vr_venue_not_started',
  venue_over: 'vr_venue_over',
};

/** Why a scanned venue code cannot be used. */
export function venueRefusedText(lang: Language, code: ErrorCode): string {
  return t(lang, 'venueRefused', { reason: t(lang, VENUE_REFUSALS[code] ?? 'vr_other') });
}

const LIST_REJECTIONS: Partial<Record<ErrorCode, StringKey>> = {
  bad_signature: 'sr_bad_signature',
  bad_chain: 'sr_bad_chain',
  bad_number: 'sr_bad_chain',
  bad_hash: 'sr_bad_hash',
  bad_key: 'sr_bad_key',
};

/** A sync that failed, by its kind and (for a list that failed verification) its code. */
export function syncFailureText(lang: Language, kind: 'network' | 'verification' | 'server' | 'storage', code: string | null): string {
  if (kind === 'network') return t(lang, 'syncOffline');
  if (kind === 'storage') return hostErrorText(lang, 'storage_full');
  if (kind === 'verification') return t(lang, 'syncRejected', { reason: t(lang, LIST_REJECTIONS[code as ErrorCode] ?? 'sr_other') });
  return t(lang, 'syncServerError');
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
    if (day) out.push(t(lang, 'damage_enc', { date: dayText(lang, Number(day[1])) }));
    else if (['tek', 'sync', 'report', 'checkins', 'consent', 'venues', 'diary', 'members'].includes(key))
      out.push(t(lang, `damage_${key}` as StringKey));
    else if (!['riskConfig', 'tracing', 'pinnedKey', 'history'].includes(key)) out.push(t(lang, 'damage_other'));
  }
  return [...new Set(out)];
}

/** A configuration the phone refused (§6), and which one it keeps. */
export function configRefusedText(lang: Language, why: 'bad_signature' | 'invalid' | 'rollback', keptSerial: number): string {
  const kept = keptSerial > 0 ? t(lang, 'configShortVersion', { serial: keptSerial }) : t(lang, 'configShortBuiltIn');
  return t(lang, `configRefused_${why}`, { kept });
}
