/**
 * A small HTTP client that treats the portal as a browser without script would: a cookie jar
 * (Set-Cookie read with its attributes), forms posted as application/x-www-form-urlencoded with the
 * page's hidden CSRF field, redirects followed by hand so every answer can be looked at. The browser
 * tests drive Debian's chromium; this is for what a browser cannot do on command (a move of the
 * clock, thousands of guesses, a replayed cookie) and for MySQL.
 */

export interface SetCookie {
  name: string;
  value: string;
  attrs: Record<string, string | true>;
}

export function parseSetCookie(line: string): SetCookie {
  const [pair, ...rest] = line.split(';');
  const eq = pair.indexOf('=');
  const attrs: Record<string, string | true> = {};
  for (const a of rest) {
    const i = a.indexOf('=');
    if (i < 0) attrs[a.trim().toLowerCase()] = true;
    else attrs[a.slice(0, i).trim().toLowerCase()] = a.slice(i + 1).trim();
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs };
}

export interface Page {
  status: number;
  html: string;
  headers: Headers;
  location: string | null;
  cookies: SetCookie[];
}

/** The value of the hidden `csrf` field of the first form on a page. */
export const csrfOf = (html: string): string | null => /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? null;
/** The text of the element with that id (tags stripped, entities of the five escaped characters undone). */
export function textOf(html: string, id: string): string | null {
  const m = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</`).exec(html);
  if (!m) return null;
  return m[1]
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}
export const isLoginPage = (html: string) =>
  /<form method="post" action="\/portal\/login">/.test(html) && /autocomplete="current-password"/.test(html);

export class PortalClient {
  readonly jar = new Map<string, string>();
  /** The CSRF token of the last page that had a form. */
  csrf: string | null = null;
  last: Page | null = null;

  constructor(
    readonly base: string,
    readonly extraHeaders: Record<string, string> = {},
  ) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private async send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Page> {
    const r = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: { ...this.extraHeaders, ...(this.jar.size ? { cookie: this.cookieHeader() } : {}), ...headers },
      body,
    });
    const cookies = r.headers.getSetCookie().map(parseSetCookie);
    for (const c of cookies) {
      if (c.value === '' || c.attrs['max-age'] === '0' || (typeof c.attrs.expires === 'string' && Date.parse(c.attrs.expires) < Date.now()))
        this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    const html = await r.text();
    const page = { status: r.status, html, headers: r.headers, location: r.headers.get('location'), cookies };
    const token = csrfOf(html);
    if (token) this.csrf = token;
    this.last = page;
    return page;
  }

  /** GET, following redirects within the portal. */
  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    let p = await this.send('GET', path, undefined, headers);
    for (let k = 0; k < 5 && p.location; k++)
      p = await this.send('GET', new URL(p.location, this.base + path).pathname, undefined, headers);
    return p;
  }

  /** POSTs a form with the last page's CSRF token (unless `csrf` says otherwise); follows a redirect. */
  async post(
    path: string,
    fields: Record<string, string>,
    opts: { csrf?: string | null; headers?: Record<string, string>; follow?: boolean } = {},
  ): Promise<Page> {
    const form = new URLSearchParams(fields);
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (csrf !== null) form.set('csrf', csrf);
    const p = await this.send('POST', path, form.toString(), { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers });
    if (p.location && opts.follow !== false) return this.get(new URL(p.location, this.base + path).pathname);
    return p;
  }

  /** Sets a password through a one-time link (its full URL). */
  async setPassword(link: string, password: string): Promise<Page> {
    const path = new URL(link).pathname;
    await this.get(path);
    return this.post(path, { password, password2: password });
  }

  /** Logs in with username and password (a second factor, if asked, through `code`). */
  async login(username: string, password: string, code?: () => string): Promise<Page> {
    await this.get('/portal/login');
    let p = await this.post('/portal/login', { username, password });
    if (code && /action="\/portal\/second-factor"/.test(p.html)) p = await this.post('/portal/second-factor', { code: code() });
    return p;
  }
}
