/**
 * Issue 31: the portal's venue warnings page — a venue warning code for an owner, and the authority's
 * own warning. The link and photo fields have no `name`: the browser never submits them; the
 * script (client/warn.ts) fills the hidden hash, region and window.
 */
import { csrfField, esc, layout, note, type PageContext } from './views';
import { w, type WordKey } from './words';
import { WARNING_LEVELS } from '../../../shared/risk/venue-rules';

export function venuesPage(
  c: PageContext,
  opts: {
    message?: { kind: 'error' | 'ok'; text: string } | null;
    issued?: { code: string; expiresAt: number; level: string } | null;
    now: number;
  },
): string {
  const L = (k: WordKey) => w(c.lang, k);
  const levels = (selected: string) =>
    WARNING_LEVELS.map((l) => `<option value="${l}"${l === selected ? ' selected' : ''}>${esc(L(`wl_${l}` as WordKey))}</option>`).join('');
  const issued = opts.issued
    ? `<section aria-labelledby="issued-h"><h2 id="issued-h">${esc(L('venueCodeIssued'))}</h2><p>${esc(L('venueCodeIssuedHelp'))}</p>
<p class="code" id="venue-code">${esc(opts.issued.code)}</p>
<p>${esc(L('warnLevel'))}: <strong id="venue-code-level">${esc(L(`wl_${opts.issued.level}` as WordKey))}</strong></p>
<p>${esc(L('expiresIn'))}: <span class="countdown" id="countdown" data-expires="${opts.issued.expiresAt}" data-now="${opts.now}" data-expired="${esc(L('expired'))}" aria-live="off">${Math.floor((opts.issued.expiresAt - opts.now) / 60)}:00</span></p></section>`
    : '';
  return layout(
    c,
    L('venues'),
    `${note(opts.message?.kind ?? 'ok', opts.message?.text ?? null)}${issued}
<h2>${esc(L('warnTitle'))}</h2>
<p>${esc(L('warnHelp'))}</p>
<form method="post" action="/portal/venue-warnings" id="warn">${csrfField(c)}
<label for="venue-link">${esc(L('venueLink'))}</label>
<input id="venue-link" type="url" autocomplete="off" spellcheck="false">
<label for="venue-photo">${esc(L('venuePhoto'))}</label>
<input id="venue-photo" type="file" accept="image/*">
<p id="venue-found" aria-live="polite" data-ok="${esc(L('venueFound'))}" data-bad="${esc(L('venueNotFound'))}" data-reading="${esc(L('venueReading'))}" data-no-qr="${esc(L('venueNoQr'))}" data-window="${esc(L('windowMissing'))}"></p>
<input type="hidden" id="locationIdHash" name="locationIdHash">
<input type="hidden" id="region" name="region">
<input type="hidden" id="start" name="start">
<input type="hidden" id="end" name="end">
<label for="from">${esc(L('windowFrom'))}</label>
<input id="from" type="datetime-local" required>
<label for="until">${esc(L('windowUntil'))}</label>
<input id="until" type="datetime-local" required>
<label for="level">${esc(L('warnLevel'))}</label>
<select id="level" name="level">${levels('test')}</select>
<label for="tel">${esc(L('warnTel'))}</label>
<input id="tel" name="tel" type="tel" autocomplete="off">
<label for="text_en">${esc(L('warnTextEn'))}</label>
<input id="text_en" name="text_en" maxlength="200" lang="en">
<label for="text_zh_CN">${esc(L('warnTextZh'))}</label>
<input id="text_zh_CN" name="text_zh_CN" maxlength="200" lang="zh-Hans">
<label for="text_zh_TW">${esc(L('warnTextHant'))} · 台灣</label>
<input id="text_zh_TW" name="text_zh_TW" maxlength="200" lang="zh-Hant-TW">
<label for="text_zh_HK">${esc(L('warnTextHant'))} · 香港</label>
<input id="text_zh_HK" name="text_zh_HK" maxlength="200" lang="zh-Hant-HK">
<button type="submit" id="warn-submit">${esc(L('warnSubmit'))}</button>
</form>
<h2>${esc(L('venueCodeTitle'))}</h2>
<p>${esc(L('venueCodeHelp'))}</p>
<form method="post" action="/portal/venue-codes" class="inline">${csrfField(c)}
<label for="code-level">${esc(L('warnLevel'))}</label> <select id="code-level" name="level">${levels('test')}</select>
<button type="submit" id="issue-venue-code">${esc(L('issueVenueCode'))}</button>
</form>
<script src="/portal/static/warn.js" defer></script>`,
  );
}
