/**
 * The advice pages (issue 29): the form (every level in every language of the app), the preview of
 * what phones will show in each language, and the publications. Rendered on the server like every
 * portal page; everything from outside goes through `esc`.
 */
import { ADVICE_LANGUAGES, ADVICE_LEVELS, ADVICE_LIMITS, type AdviceLanguage } from '../../../shared/risk/advice';
import type { PublicationView } from '../../domains/portal/service';
import { csrfField, esc, layout, note, when, type PageContext } from './views';
import { w, type WordKey } from './words';

/** A form's advice, field by field, as typed (`red.en.now` → text); `converted` names the fields OpenCC filled in. */
export interface AdviceFields {
  values: Record<string, string>;
  converted: Set<string>;
}

export const FIELDS = ['now', 'hotline', 'link'] as const;
export const fieldName = (level: string, lang: string, field: string) => `${level}.${lang}.${field}`;

/** What each language of the app is called, and the words of the phone's card in it (the preview shows them as the phone does). */
export const APP_LANGUAGES: Record<
  AdviceLanguage,
  { name: string; tag: string; green: string; yellow: string; red: string; hotline: string; link: string }
> = {
  zh_CN: { name: '简体中文', tag: 'zh-Hans', green: '绿码', yellow: '黄码', red: '红码', hotline: '咨询热线', link: '详情' },
  zh_TW: { name: '繁體中文（台灣）', tag: 'zh-Hant-TW', green: '綠碼', yellow: '黃碼', red: '紅碼', hotline: '諮詢熱線', link: '詳情' },
  zh_HK: { name: '繁體中文（香港）', tag: 'zh-Hant-HK', green: '綠碼', yellow: '黃碼', red: '紅碼', hotline: '諮詢熱線', link: '詳情' },
  en: { name: 'English', tag: 'en', green: 'Green', yellow: 'Yellow', red: 'Red', hotline: 'Hotline', link: 'More' },
};

function publicationsTable(c: PageContext, publications: PublicationView[]): string {
  const L = (k: WordKey) => w(c.lang, k);
  if (publications.length === 0) return '';
  const rows = publications
    .map((p) => `<tr><td>${p.serial}</td><td>${when(p.publishedAt)}</td><td>${p.by === null ? '—' : esc(p.by)}</td></tr>`)
    .join('');
  return `<h2>${esc(L('publications'))}</h2>
<table id="publications"><caption class="sr">${esc(L('publications'))}</caption><thead><tr><th scope="col">${esc(L('adviceSerial'))}</th><th scope="col">${esc(L('when'))}</th><th scope="col">${esc(L('who'))}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function adviceFormPage(
  c: PageContext,
  state: {
    serial: number;
    published: boolean;
    fields: AdviceFields;
    publications: PublicationView[];
    message: { kind: 'error' | 'ok'; text: string } | null;
  },
): string {
  const L = (k: WordKey) => w(c.lang, k);
  const v = (name: string) => esc(state.fields.values[name] ?? '');
  const levels = ADVICE_LEVELS.map((level) => {
    const langs = ADVICE_LANGUAGES.map((lang) => {
      const id = (f: string) => `f-${level}-${lang}-${f}`;
      const name = (f: string) => fieldName(level, lang, f);
      const l = APP_LANGUAGES[lang];
      return `<fieldset class="lang" lang="${l.tag}"><legend>${esc(l.name)}</legend>
<label for="${id('now')}">${esc(L('adviceNow'))}</label><textarea id="${id('now')}" name="${name('now')}" rows="3" maxlength="${ADVICE_LIMITS.now}"${lang === 'zh_CN' || lang === 'en' ? ' required' : ''}>${v(name('now'))}</textarea>
<label for="${id('hotline')}">${esc(L('adviceHotline'))}</label><input id="${id('hotline')}" name="${name('hotline')}" type="tel" maxlength="${ADVICE_LIMITS.hotline}" value="${v(name('hotline'))}">
<label for="${id('link')}">${esc(L('adviceLink'))}</label><input id="${id('link')}" name="${name('link')}" type="url" maxlength="${ADVICE_LIMITS.link}" value="${v(name('link'))}">
</fieldset>`;
    }).join('\n');
    return `<fieldset class="level"><legend>${esc(L(`lvl_${level}`))}</legend>\n${langs}\n</fieldset>`;
  }).join('\n');
  return layout(
    c,
    L('advice'),
    `${state.message ? note(state.message.kind, state.message.text) : ''}<p>${esc(L('adviceHelp'))}</p>
<p>${esc(L('adviceInForce'))}: <strong id="serial">${state.serial}</strong>${state.published ? '' : ` — ${esc(L('adviceDefault'))}`}</p>
<p class="hint">${esc(L('adviceHantHelp'))} ${esc(L('adviceLimits'))}</p>
<form method="post" action="/portal/advice/preview" class="advice">${csrfField(c)}
${levels}
<button type="submit">${esc(L('preview'))}</button></form>
${publicationsTable(c, state.publications)}`,
  );
}

export function advicePreviewPage(c: PageContext, fields: AdviceFields): string {
  const L = (k: WordKey) => w(c.lang, k);
  const hidden = Object.entries(fields.values)
    .map(([k, val]) => `<input type="hidden" name="${esc(k)}" value="${esc(val)}">`)
    .join('');
  const columns = ADVICE_LANGUAGES.map((lang) => {
    const l = APP_LANGUAGES[lang];
    const cards = ADVICE_LEVELS.map((level) => {
      const get = (f: string) => fields.values[fieldName(level, lang, f)] ?? '';
      const converted = fields.converted.has(fieldName(level, lang, 'now'))
        ? ` <span class="converted" lang="${c.lang === 'zh' ? 'zh-Hans' : 'en'}">${esc(L('converted'))}</span>`
        : '';
      return `<div class="phone phone-${level}" id="preview-${level}-${lang}"><p class="phone-word">${esc(l[level])}</p><p class="phone-now">${esc(get('now'))}${converted}</p>${
        get('hotline') ? `<p>${esc(l.hotline)}: ${esc(get('hotline'))}</p>` : ''
      }${get('link') ? `<p>${esc(l.link)}: ${esc(get('link'))}</p>` : ''}</div>`;
    }).join('');
    return `<section class="preview-lang" lang="${l.tag}"><h2>${esc(l.name)}</h2>${cards}</section>`;
  }).join('\n');
  return layout(
    c,
    `${L('advice')}: ${L('preview')}`,
    `<p>${esc(L('previewHelp'))}</p>
<div class="preview">${columns}</div>
<form method="post" action="/portal/advice/publish" class="side">${csrfField(c)}${hidden}<button type="submit" id="publish">${esc(L('publish'))}</button></form>
<form method="post" action="/portal/advice" class="side">${csrfField(c)}${hidden}<button type="submit" id="edit">${esc(L('editAgain'))}</button></form>`,
  );
}
