/** The one-time link to set a password (its token in the path): valid once, for 24 hours. */
import { PrtcError } from '../../../../shared/errors';
import { PasswordRefused, type PasswordProblem } from '../../../domains/portal/passwords';
import { formToken, html, L, page, type PortalRouter } from '../context';
import { setupPage } from '../views';
import type { WordKey } from '../words';
import type { RouteDeps } from './deps';

/** A refused new password, in the page's words. */
const PASSWORD_WORDS: Record<PasswordProblem, WordKey> = { too_short: 'pw_too_short', too_long: 'pw_too_long', common: 'pw_common' };

export function setupRoutes(router: PortalRouter, { services, guards }: RouteDeps): void {
  const portal = services.portal;
  router.get('/setup/:token', async (ctx) => {
    const who = await portal.invitedPerson(ctx.params.token);
    html(ctx, who ? 200 : 410, setupPage(page(ctx, null, formToken(ctx)), ctx.params.token, who?.username ?? null, null));
  });
  router.post('/setup/:token', guards.checkedForm, async (ctx) => {
    const form = ctx.state.form!;
    const who = await portal.invitedPerson(ctx.params.token);
    const c = page(ctx, null, formToken(ctx));
    if (!who) return html(ctx, 410, setupPage(c, ctx.params.token, null, null));
    const pw = form.get('password') ?? '';
    if (pw !== (form.get('password2') ?? '')) return html(ctx, 400, setupPage(c, ctx.params.token, who.username, L(ctx, 'pw_mismatch')));
    try {
      await portal.setPasswordWithLink(ctx.params.token, pw);
    } catch (e) {
      if (e instanceof PasswordRefused)
        return html(ctx, 400, setupPage(c, ctx.params.token, who.username, L(ctx, PASSWORD_WORDS[e.problem])));
      if (e instanceof PrtcError && e.code === 'invalid_token') return html(ctx, 410, setupPage(c, ctx.params.token, null, null));
      throw e;
    }
    html(ctx, 200, setupPage(c, ctx.params.token, who.username, null, true));
  });
}
