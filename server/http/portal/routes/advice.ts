/**
 * The health authority's advice (issue 29), for the admins of the operator's realm: the form, a
 * preview in the app's four languages, and publishing it as the next signed configuration (§6),
 * which phones take at their next check. Each step re-checks everything the form carries; nothing is
 * published from the form page directly, only from the preview of exactly what is published.
 */
import type Koa from 'koa';
import { PrtcError } from '../../../../shared/errors';
import { ADVICE_LANGUAGES, ADVICE_LEVELS, type Advice, type AdviceEntry, type AdviceLanguage } from '../../../../shared/risk/advice';
import { html, L, pageOf, type PortalContext, type PortalRouter } from '../context';
import { adviceFormPage, advicePreviewPage, APP_LANGUAGES, fieldName, FIELDS, type AdviceFields } from '../advice-views';
import { toHant } from '../hant';
import { messagePage } from '../views';
import type { WordKey } from '../words';
import type { RouteDeps } from './deps';

/** 12 texts of up to 400 characters, percent-encoded (9 bytes a Chinese character), with hotlines and links. */
const ADVICE_FORM_BYTES = 96 * 1024;

/** The advice a form carries, every known field (others are ignored), Traditional Chinese filled in where left empty. */
function fromForm(form: URLSearchParams): AdviceFields {
  const values: Record<string, string> = {};
  const converted = new Set<string>();
  for (const level of ADVICE_LEVELS)
    for (const lang of ADVICE_LANGUAGES)
      for (const f of FIELDS) values[fieldName(level, lang, f)] = (form.get(fieldName(level, lang, f)) ?? '').trim();
  for (const level of ADVICE_LEVELS)
    for (const lang of ['zh_TW', 'zh_HK'] as const) {
      const simplified = (f: string) => values[fieldName(level, 'zh_CN', f)];
      const now = fieldName(level, lang, 'now');
      if (values[now] === '' && simplified('now') !== '') {
        values[now] = toHant(simplified('now'), lang);
        converted.add(now);
      }
      for (const f of ['hotline', 'link']) if (values[fieldName(level, lang, f)] === '') values[fieldName(level, lang, f)] = simplified(f);
    }
  return { values, converted };
}

function toAdvice(fields: AdviceFields): Advice {
  const out = {} as Record<string, Record<string, AdviceEntry>>;
  for (const level of ADVICE_LEVELS) {
    out[level] = {};
    for (const lang of ADVICE_LANGUAGES) {
      const get = (f: string) => fields.values[fieldName(level, lang, f)] ?? '';
      out[level][lang] = { now: get('now'), hotline: get('hotline'), link: get('link') };
    }
  }
  return out as Advice;
}

function fromAdvice(advice: Advice): AdviceFields {
  const values: Record<string, string> = {};
  for (const level of ADVICE_LEVELS)
    for (const lang of ADVICE_LANGUAGES) for (const f of FIELDS) values[fieldName(level, lang, f)] = advice[level][lang][f] ?? '';
  return { values, converted: new Set() };
}

const FIELD_WORDS: Record<string, WordKey> = { now: 'adviceNow', hotline: 'adviceHotline', link: 'adviceLink' };

/** A refused field in the page's words: "Red · English · What to do now — …". */
function problem(ctx: Koa.Context, e: PrtcError): string {
  const m = /^config\.advice\.(green|yellow|red)\.(zh_CN|zh_TW|zh_HK|en)\.(now|hotline|link)$/.exec(e.field ?? '');
  if (!m) return `${L(ctx, 'invalidValue')}${e.message}`;
  return `${L(ctx, 'invalidValue')}${L(ctx, `lvl_${m[1]}` as WordKey)} · ${APP_LANGUAGES[m[2] as AdviceLanguage].name} · ${L(ctx, FIELD_WORDS[m[3]])} — ${e.message}`;
}

export function adviceRoutes(router: PortalRouter, { services, guards }: RouteDeps): void {
  const portal = services.portal;
  const { signedIn, adminOnly, checkedLargeForm } = guards;
  const operatorOnly = async (ctx: PortalContext, next: Koa.Next) => {
    if (!portal.mayPublishAdvice(ctx.state.who!.me))
      return html(ctx, 403, messagePage(pageOf(ctx), L(ctx, 'forbidden'), L(ctx, 'notOperator')));
    await next();
  };
  const form = checkedLargeForm(ADVICE_FORM_BYTES);

  async function formPage(
    ctx: PortalContext,
    status: number,
    fields: AdviceFields | null,
    message: { kind: 'error' | 'ok'; text: string } | null,
  ) {
    const { config, publications } = await portal.adviceInForce(ctx.state.who!.me);
    html(
      ctx,
      status,
      adviceFormPage(pageOf(ctx), {
        serial: config.serial,
        published: publications.length > 0,
        fields: fields ?? fromAdvice(config.advice),
        publications,
        message,
      }),
    );
  }

  router.get('/advice', signedIn(), adminOnly, operatorOnly, (ctx) => formPage(ctx, 200, null, null));
  // back from the preview: the form with what was typed
  router.post('/advice', signedIn(), adminOnly, operatorOnly, form, (ctx) => formPage(ctx, 200, fromForm(ctx.state.form!), null));
  router.post('/advice/preview', signedIn(), adminOnly, operatorOnly, form, async (ctx) => {
    const fields = fromForm(ctx.state.form!);
    try {
      await portal.adviceDraft(ctx.state.who!.me, toAdvice(fields));
    } catch (e) {
      if (!(e instanceof PrtcError) || e.code !== 'invalid_config') throw e;
      return formPage(ctx, 400, fields, { kind: 'error', text: problem(ctx, e) });
    }
    html(ctx, 200, advicePreviewPage(pageOf(ctx), fields));
  });
  router.post('/advice/publish', signedIn(), adminOnly, operatorOnly, form, async (ctx) => {
    const fields = fromForm(ctx.state.form!);
    let serial: number;
    try {
      serial = await portal.publishAdvice(ctx.state.who!.me, toAdvice(fields));
    } catch (e) {
      if (!(e instanceof PrtcError) || e.code !== 'invalid_config') throw e;
      return formPage(ctx, 400, fields, { kind: 'error', text: problem(ctx, e) });
    }
    await formPage(ctx, 200, null, { kind: 'ok', text: L(ctx, 'advicePublished').replace('{serial}', String(serial)) });
  });
}
