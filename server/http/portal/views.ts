/**
 * The portal's pages, rendered on the server. Everything that comes from outside (names, messages,
 * the username of a failed login) goes through `esc`. No inline script or style: the CSP forbids
 * them; /portal/static/portal.css and portal.js are the only ones.
 */
import { qrMatrix } from '../../../shared/poster/layout';
import type { AuditEntry, PersonView } from '../../domains/portal/service';
import type { Me } from '../../domains/portal/service';
import { w, type PortalLang, type WordKey } from './words';

export const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"'`]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c]!);

export interface PageContext {
  lang: PortalLang;
  me: Me | null;
  csrf: string;
  /** The path of this page, for the language switch. */
  path: string;
}

/** A moment as `<time>`: UTC in the page, turned into the reader's local time by portal.js. */
export const when = (t: number) => {
  const iso = new Date(t * 1000).toISOString();
  return `<time datetime="${iso}">${iso.replace('T', ' ').slice(0, 16)} UTC</time>`;
};

function nav(c: PageContext): string {
  if (!c.me) return '';
  const L = (k: WordKey) => w(c.lang, k);
  const items: [string, WordKey][] = [
    ['/portal/', 'issuePage'],
    ['/portal/venues', 'venues'],
  ];
  if (c.me.role === 'admin')
    items.push(
      ['/portal/people', 'people'],
      ['/portal/keys', 'keys'],
      ['/portal/stats', 'stats'],
      ['/portal/audit', 'audit'],
      ['/portal/settings', 'settings'],
    );
  // the health authority's advice (issue 29): the operator's realm's admins only
  if (c.me.role === 'admin' && c.me.operator) items.push(['/portal/advice', 'advice']);
  items.push(['/portal/security', 'security']);
  return `<nav aria-label="${esc(L('title'))}"><ul>${items
    .map(([href, k]) => `<li><a href="${href}"${c.path === href ? ' aria-current="page"' : ''}>${esc(L(k))}</a></li>`)
    .join('')}</ul>
<form method="post" action="/portal/logout" class="logout"><input type="hidden" name="csrf" value="${esc(c.csrf)}"><span>${esc(L('loggedInAs'))}: ${esc(c.me.username)} (${esc(c.me.realmName)})</span> <button type="submit">${esc(L('logout'))}</button></form></nav>`;
}

export function layout(c: PageContext, title: string, body: string): string {
  const other = c.lang === 'zh' ? 'en' : 'zh';
  return `<!doctype html>
<html lang="${c.lang === 'zh' ? 'zh-Hans' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(w(c.lang, 'title'))}</title>
<link rel="stylesheet" href="/portal/static/portal.css">
<script src="/portal/static/portal.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${esc(w(c.lang, 'skip'))}</a>
<header><span class="brand">${esc(w(c.lang, 'title'))}</span> <a class="lang" href="${esc(c.path)}?lang=${other}" lang="${other === 'zh' ? 'zh-Hans' : 'en'}">${esc(w(c.lang, 'language'))}</a>${nav(c)}</header>
<main id="main">
<h1>${esc(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

export const csrfField = (c: PageContext) => `<input type="hidden" name="csrf" value="${esc(c.csrf)}">`;
export const note = (kind: 'error' | 'ok', text: string | null) =>
  text ? `<p class="${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${esc(text)}</p>` : '';

export function loginPage(c: PageContext, error: string | null, username = ''): string {
  const L = (k: WordKey) => w(c.lang, k);
  return layout(
    c,
    L('login'),
    `${note('error', error)}
<form method="post" action="/portal/login">${csrfField(c)}
<label for="username">${esc(L('username'))}</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${esc(username)}">
<label for="password">${esc(L('password'))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">${esc(L('login'))}</button>
</form>`,
  );
}

export function secondFactorPage(c: PageContext, error: string | null): string {
  const L = (k: WordKey) => w(c.lang, k);
  return layout(
    c,
    L('secondFactor'),
    `${note('error', error)}<p>${esc(L('secondFactorHelp'))}</p>
<form method="post" action="/portal/second-factor">${csrfField(c)}
<label for="code">${esc(L('oneTimeCode'))}</label>
<input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" required>
<button type="submit">${esc(L('continue'))}</button>
</form>`,
  );
}

export function setupPage(c: PageContext, token: string, username: string | null, error: string | null, done = false): string {
  const L = (k: WordKey) => w(c.lang, k);
  if (done) return layout(c, L('setPassword'), `${note('ok', L('passwordSet'))}<p><a href="/portal/login">${esc(L('login'))}</a></p>`);
  if (!username) return layout(c, L('setPassword'), note('error', L('linkInvalid')));
  return layout(
    c,
    L('setPassword'),
    `${note('error', error)}<p>${esc(L('setPasswordHelp'))}</p>
<form method="post" action="/portal/setup/${esc(token)}">${csrfField(c)}
<label for="username">${esc(L('username'))}</label>
<input id="username" name="username" autocomplete="username" value="${esc(username)}" readonly>
<label for="password">${esc(L('newPassword'))}</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required>
<label for="password2">${esc(L('repeatPassword'))}</label>
<input id="password2" name="password2" type="password" autocomplete="new-password" minlength="12" required>
<button type="submit">${esc(L('setPassword'))}</button>
</form>`,
  );
}

/** A QR code as inline SVG (no style attributes: the CSP allows none), with a text alternative. */
export function qrSvg(text: string, label: string): string {
  const { modules } = qrMatrix(text, 'M');
  const n = modules.length + 8;
  let d = '';
  modules.forEach((row, r) => row.forEach((dark, c) => (d += dark ? `M${c + 4} ${r + 4}h1v1h-1z` : '')));
  return `<svg class="qr" role="img" aria-label="${esc(label)}" viewBox="0 0 ${n} ${n}" shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg"><rect width="${n}" height="${n}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}

export function issuePage(c: PageContext, message: { kind: 'error' | 'ok'; text: string } | null): string {
  const L = (k: WordKey) => w(c.lang, k);
  return layout(
    c,
    L('issuePage'),
    `${message ? note(message.kind, message.text) : ''}<p>${esc(L('issueHelp'))}</p>
<form method="post" action="/portal/codes">${csrfField(c)}<button type="submit" class="big">${esc(L('issue'))}</button></form>
<h2>${esc(L('lookup'))}</h2>
<form method="get" action="/portal/codes" class="inline">
<label for="id">${esc(L('shortId'))}</label> <input id="id" name="id" autocomplete="off" autocapitalize="characters" spellcheck="false" required>
<button type="submit">${esc(L('lookup'))}</button>
</form><p class="hint">${esc(L('lookupHelp'))}</p>`,
  );
}

export function issuedPage(c: PageContext, r: { code: string; expiresAt: number; shortId: string; link: string }, now: number): string {
  const L = (k: WordKey) => w(c.lang, k);
  return layout(
    c,
    L('issued'),
    `<p>${esc(L('issuedHelp'))}</p>
<p class="code" id="code" aria-label="${esc(L('issued'))}">${esc(r.code)}</p>
<p>${esc(L('expiresIn'))}: <span class="countdown" id="countdown" data-expires="${r.expiresAt}" data-now="${now}" data-expired="${esc(L('expired'))}" aria-live="off">${Math.floor((r.expiresAt - now) / 60)}:00</span></p>
${qrSvg(r.link, L('qrLabel'))}
<p>${esc(L('shortId'))}: <strong id="short-id">${esc(r.shortId)}</strong></p><p class="hint">${esc(L('shortIdHelp'))}</p>
<p><a href="/portal/">${esc(L('issuePage'))}</a></p>`,
  );
}

export function lookupPage(
  c: PageContext,
  shortId: string,
  found: { status: string; createdAt: number; expiresAt: number } | null,
  message: { kind: 'error' | 'ok'; text: string } | null,
): string {
  const L = (k: WordKey) => w(c.lang, k);
  if (!found) return layout(c, L('lookup'), `${note('error', L('notFound'))}<p><a href="/portal/">${esc(L('issuePage'))}</a></p>`);
  return layout(
    c,
    `${L('lookup')}: ${shortId}`,
    `${message ? note(message.kind, message.text) : ''}<dl><dt>${esc(L('status'))}</dt><dd id="status">${esc(L(`st_${found.status}` as WordKey))}</dd><dt>${esc(L('issuedAt'))}</dt><dd>${when(found.createdAt)}</dd></dl>
${found.status === 'unused' ? `<form method="post" action="/portal/codes/${esc(shortId)}/void">${csrfField(c)}<button type="submit">${esc(L('void'))}</button></form>` : ''}
<p><a href="/portal/">${esc(L('issuePage'))}</a></p>`,
  );
}

export function peoplePage(
  c: PageContext,
  people: PersonView[],
  invited: { username: string; link: string } | null,
  error: string | null,
): string {
  const L = (k: WordKey) => w(c.lang, k);
  const rows = people
    .map(
      (p) =>
        `<tr><td>${esc(p.username)}</td><td>${esc(L(`role_${p.role}` as WordKey))}</td><td>${p.disabled ? esc(L('disabled')) : esc(L('active'))}${p.secondFactor ? ` · ${esc(L('secondFactorOn'))}` : ''}</td><td>${
          !p.disabled && p.id !== c.me!.id
            ? `<form method="post" action="/portal/people/${p.id}/disable">${csrfField(c)}<button type="submit" aria-label="${esc(L('disable'))} ${esc(p.username)}">${esc(L('disable'))}</button></form>`
            : ''
        }</td></tr>`,
    )
    .join('');
  return layout(
    c,
    L('people'),
    `${note('error', error)}${invited ? `<p class="ok" role="status">${esc(L('inviteLink'))}<br><code id="invite-link">${esc(invited.link)}</code></p>` : ''}
<table><caption class="sr">${esc(L('people'))}</caption><thead><tr><th scope="col">${esc(L('username'))}</th><th scope="col">${esc(L('role'))}</th><th scope="col">${esc(L('status'))}</th><th scope="col"><span class="sr">${esc(L('actions'))}</span></th></tr></thead><tbody>${rows}</tbody></table>
<h2>${esc(L('invite'))}</h2>
<form method="post" action="/portal/people">${csrfField(c)}
<label for="username">${esc(L('username'))}</label><input id="username" name="username" autocomplete="off" autocapitalize="none" required>
<label for="role">${esc(L('role'))}</label><select id="role" name="role"><option value="issuer">${esc(L('role_issuer'))}</option><option value="admin">${esc(L('role_admin'))}</option></select>
<button type="submit">${esc(L('invite'))}</button></form>`,
  );
}

export function keysPage(
  c: PageContext,
  keys: { name: string; createdAt: number; revokedAt: number | null }[],
  created: string | null,
  error: string | null,
): string {
  const L = (k: WordKey) => w(c.lang, k);
  const rows = keys
    .map(
      (k) =>
        `<tr><td>${esc(k.name)}</td><td>${when(k.createdAt)}</td><td>${k.revokedAt ? esc(L('disabled')) : esc(L('active'))}</td><td>${
          k.revokedAt
            ? ''
            : `<form method="post" action="/portal/keys/${encodeURIComponent(k.name)}/revoke">${csrfField(c)}<button type="submit" aria-label="${esc(L('revoke'))} ${esc(k.name)}">${esc(L('revoke'))}</button></form>`
        }</td></tr>`,
    )
    .join('');
  return layout(
    c,
    L('keys'),
    `${note('error', error)}${created ? `<p class="ok" role="status">${esc(L('newKey'))}<br><code id="new-key">${esc(created)}</code></p>` : ''}<p>${esc(L('keysHelp'))}</p>
<table><caption class="sr">${esc(L('keys'))}</caption><thead><tr><th scope="col">${esc(L('keyName'))}</th><th scope="col">${esc(L('issuedAt'))}</th><th scope="col">${esc(L('status'))}</th><th scope="col"><span class="sr">${esc(L('actions'))}</span></th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/portal/keys">${csrfField(c)}<label for="name">${esc(L('keyName'))}</label><input id="name" name="name" autocomplete="off" required><button type="submit">${esc(L('create'))}</button></form>`,
  );
}

export function settingsPage(
  c: PageContext,
  realm: { requireTotp: number; dailyQuota: number; personQuota: number },
  message: { kind: 'error' | 'ok'; text: string } | null,
): string {
  const L = (k: WordKey) => w(c.lang, k);
  return layout(
    c,
    L('settings'),
    `${message ? note(message.kind, message.text) : ''}<form method="post" action="/portal/settings">${csrfField(c)}
<div class="check"><input type="checkbox" id="requireTotp" name="requireTotp" value="1"${realm.requireTotp ? ' checked' : ''}><label for="requireTotp">${esc(L('requireTotp'))}</label></div>
<label for="dailyQuota">${esc(L('dailyQuota'))}</label><input id="dailyQuota" name="dailyQuota" type="number" min="0" max="100000" value="${realm.dailyQuota}">
<label for="personQuota">${esc(L('personQuota'))}</label><input id="personQuota" name="personQuota" type="number" min="0" max="100000" value="${realm.personQuota}">
<button type="submit">${esc(L('save'))}</button></form>`,
  );
}

export function securityPage(
  c: PageContext,
  state: {
    on: boolean;
    offer: { sealed: string; uri: string; secret: string } | null;
    recovery: string[] | null;
    error: string | null;
    mustEnrol: boolean;
  },
): string {
  const L = (k: WordKey) => w(c.lang, k);
  let body = state.mustEnrol ? note('error', L('mustEnrol')) : '';
  if (state.recovery)
    body += `<p class="ok" role="status">${esc(L('totpOn'))}</p><p>${esc(L('recoveryCodes'))}</p><ul class="codes" id="recovery">${state.recovery.map((r) => `<li><code>${esc(r)}</code></li>`).join('')}</ul><p><a href="/portal/">${esc(L('issuePage'))}</a></p>`;
  else if (state.on) body += `<p class="ok" role="status">${esc(L('totpOn'))}</p>`;
  else if (state.offer)
    body += `${note('error', state.error)}<p>${esc(L('securityHelp'))}</p>${qrSvg(state.offer.uri, L('security'))}<p>${esc(L('secret'))}: <code id="totp-secret">${esc(state.offer.secret)}</code></p>
<form method="post" action="/portal/security/confirm">${csrfField(c)}<input type="hidden" name="sealed" value="${esc(state.offer.sealed)}">
<label for="code">${esc(L('oneTimeCode'))}</label><input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" required>
<button type="submit">${esc(L('enable'))}</button></form>`;
  else
    body += `<form method="post" action="/portal/security/start">${csrfField(c)}<button type="submit">${esc(L('enable'))}</button></form>`;
  return layout(c, L('security'), body);
}

export function statsPage(
  c: PageContext,
  days: { date: string; issued: number; used: number; expired: number; voided: number }[],
  failedToday: number,
): string {
  const L = (k: WordKey) => w(c.lang, k);
  const max = Math.max(1, ...days.map((d) => d.issued));
  const bw = 24;
  const h = 120;
  const bars = days
    .map((d, k) => {
      const hi = Math.round((d.issued / max) * h);
      const hu = Math.round((d.used / max) * h);
      return `<rect class="bar-issued" x="${k * bw + 2}" y="${h - hi}" width="${bw / 2 - 2}" height="${hi}"><title>${esc(d.date)}: ${d.issued} ${esc(L('c_issued'))}</title></rect><rect class="bar-used" x="${k * bw + bw / 2}" y="${h - hu}" width="${bw / 2 - 2}" height="${hu}"><title>${esc(d.date)}: ${d.used} ${esc(L('c_used'))}</title></rect>`;
    })
    .join('');
  const rows = days
    .map(
      (d) => `<tr><th scope="row">${esc(d.date)}</th><td>${d.issued}</td><td>${d.used}</td><td>${d.expired}</td><td>${d.voided}</td></tr>`,
    )
    .join('');
  return layout(
    c,
    L('stats'),
    `<svg class="chart" role="img" aria-label="${esc(L('stats'))}: ${esc(L('c_issued'))} / ${esc(L('c_used'))}" viewBox="0 0 ${days.length * bw} ${h}" xmlns="http://www.w3.org/2000/svg">${bars}</svg>
<p class="legend"><span class="key-issued">■</span> ${esc(L('c_issued'))} <span class="key-used">■</span> ${esc(L('c_used'))}</p>
<table id="stats"><caption class="sr">${esc(L('stats'))}</caption><thead><tr><th scope="col">${esc(L('day'))}</th><th scope="col">${esc(L('c_issued'))}</th><th scope="col">${esc(L('c_used'))}</th><th scope="col">${esc(L('c_expired'))}</th><th scope="col">${esc(L('c_voided'))}</th></tr></thead><tbody>${rows}</tbody></table>
<p>${esc(L('download'))}: <a href="/portal/stats.csv">CSV</a> · <a href="/portal/stats.json">JSON</a></p>
<p>${esc(L('failedToday'))}: <span id="failed-today">${failedToday}</span></p>`,
  );
}

export function auditPage(c: PageContext, events: AuditEntry[], names: Map<number, string>): string {
  const L = (k: WordKey) => w(c.lang, k);
  const rows = events
    .map(
      (e) =>
        `<tr><td>${when(e.at)}</td><td>${e.actorId === null ? '—' : esc(names.get(e.actorId) ?? `#${e.actorId}`)}</td><td>${esc(e.action)}</td><td>${esc(e.subject ?? '')}</td></tr>`,
    )
    .join('');
  return layout(
    c,
    L('audit'),
    `<table id="audit"><caption class="sr">${esc(L('audit'))}</caption><thead><tr><th scope="col">${esc(L('when'))}</th><th scope="col">${esc(L('who'))}</th><th scope="col">${esc(L('what'))}</th><th scope="col">${esc(L('subject'))}</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

export function messagePage(c: PageContext, title: string, text: string): string {
  return layout(c, title, `${note('error', text)}<p><a href="/portal/">${esc(w(c.lang, 'issuePage'))}</a></p>`);
}
