/**
 * Every portal action is one transaction with its audit row: when the row cannot be written,
 * nothing of the action happened. The fault is real — a trigger on the audit table makes the
 * database refuse the INSERT (SQLite `RAISE(ABORT)`, MariaDB `SIGNAL SQLSTATE '45000'`) — and what
 * "nothing happened" means is read back with SQL, not through the portal: every table the portal
 * and the authority write is exactly as it was before the call. Then the trigger goes and the same
 * call succeeds, which shows that the audit row was all that stopped it.
 */
import { DB_KINDS } from '../helpers/db';
import { authenticator } from '../helpers/totp';
import { startTestServer, type TestServer } from '../helpers/server';
import type { Me } from '../../server/domains/portal/service';

const PASSWORD = 'Vermilion-otter-58-quietly';
const NEW_PASSWORD = 'Another-long-passphrase-71';
/** What a portal action may write: the portal's tables and the authority's. */
const TABLES = ['realm', 'person', 'invitation', 'portal_session', 'device_cookie', 'audit_event', 'upload_code', 'authority_token'];

describe.each(DB_KINDS)('portal actions on %s when the audit row cannot be written', (kind) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(kind);
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  const sql = (q: string) => s.database.read((m) => m.query(q));
  async function refuseAudit(): Promise<void> {
    await sql(
      kind === 'sqlite'
        ? "CREATE TRIGGER audit_refused BEFORE INSERT ON audit_event BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
        : "CREATE TRIGGER audit_refused BEFORE INSERT ON audit_event FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit refused'",
    );
  }
  const allowAudit = () => sql('DROP TRIGGER audit_refused');
  /** Every row of every table an action may touch. */
  async function contents(): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const t of TABLES) out[t] = (await sql(`SELECT * FROM ${t} ORDER BY 1`)) as unknown[];
    return out;
  }
  /** Runs `action` with the audit refused: it fails, and every table is as before; without the trigger it succeeds. */
  async function nothingHappens<T>(action: () => Promise<T>, after?: (r: T) => Promise<void> | void): Promise<void> {
    const before = await contents();
    await refuseAudit();
    try {
      await expect(action()).rejects.toThrow(/audit refused/);
      expect(await contents()).toEqual(before);
    } finally {
      await allowAudit();
    }
    const r = await action();
    expect(await contents()).not.toEqual(before);
    await after?.(r);
  }

  let n = 0;
  /** A new realm with an admin who set a password through their link and is logged in. */
  async function admin(): Promise<{ me: Me; session: string; username: string }> {
    const username = `admin-${++n}`;
    const { token } = await s.services.portal.createUser(`Realm ${n}`, username, 'admin');
    await s.services.portal.setPasswordWithLink(token, PASSWORD);
    const r = await s.services.portal.login(username, PASSWORD, null);
    if (r.kind !== 'ok') throw new Error(`login: ${r.kind}`);
    const who = await s.services.portal.whoIs(r.session);
    return { me: who!.me, session: r.session, username };
  }
  const loggedIn = async (session: string) => (await s.services.portal.whoIs(session)) !== null;

  test('a password set through a link: the link stays usable, the password and the sessions stay', async () => {
    const a = await admin();
    const token = (await s.services.portal.newLink(a.username, false))!;
    await nothingHappens(
      () => s.services.portal.setPasswordWithLink(token, NEW_PASSWORD),
      async () => {
        // done now: the old sessions are over, the new password logs in, the link is used up
        expect(await loggedIn(a.session)).toBe(false);
        expect((await s.services.portal.login(a.username, NEW_PASSWORD, null)).kind).toBe('ok');
        expect(await s.services.portal.invitedPerson(token)).toBeNull();
      },
    );
  });

  test('a login: no session, no device cookie', async () => {
    const a = await admin();
    // the try is counted before the password is checked, in its own transaction, on purpose (a
    // guess that makes the server fail still counts): the person's counter is left out here
    const before = await contents();
    await refuseAudit();
    try {
      await expect(s.services.portal.login(a.username, PASSWORD, null)).rejects.toThrow(/audit refused/);
    } finally {
      await allowAudit();
    }
    const after = await contents();
    const withoutCounter = (rows: unknown[]) => rows.map((p) => ({ ...(p as object), failedLogins: null }));
    expect({ ...after, person: withoutCounter(after.person) }).toEqual({ ...before, person: withoutCounter(before.person) });
    expect((await s.services.portal.login(a.username, PASSWORD, null)).kind).toBe('ok');
  });

  test('a second factor: enabling it stores nothing; a second step, right, wrong or with a recovery code, neither spends the code nor ends the half-session', async () => {
    const a = await admin();
    const offer = s.services.portal.totpOffer(a.me, 'PrTC');
    const app = authenticator(new URL(offer.uri).searchParams.get('secret')!);
    let recovery: string[] = [];
    await nothingHappens(
      () => s.services.portal.totpEnable(a.me, offer.secret, app(s.clock.now())),
      (codes) => void (recovery = codes!),
    );
    expect(recovery).toHaveLength(10);
    const halfSession = async () => {
      const half = await s.services.portal.login(a.username, PASSWORD, null);
      expect(half.kind).toBe('second_factor');
      return (half as { session: string }).session;
    };
    s.clock.advance(30);
    let half = await halfSession();
    await nothingHappens(
      () => s.services.portal.secondFactor(half, app(s.clock.now())),
      async (r) => expect(await loggedIn(r!.session)).toBe(true),
    );
    half = await halfSession();
    // a wrong code: the half-session ends and the try counts — both or neither
    await nothingHappens(
      () => s.services.portal.secondFactor(half, 'not-a-code'),
      (r) => expect(r).toBeNull(),
    );
    half = await halfSession();
    await nothingHappens(
      () => s.services.portal.secondFactor(half, recovery[0]),
      async (r) => expect(await loggedIn(r!.session)).toBe(true),
    );
  });

  test('a logout: the session lives on', async () => {
    const a = await admin();
    await nothingHappens(
      () => s.services.portal.logout(a.session, a.me),
      async () => expect(await loggedIn(a.session)).toBe(false),
    );
  });

  test('the operator adds a person (and a realm): no realm, no person, no link', async () => {
    n++;
    await nothingHappens(() => s.services.portal.createUser(`Realm ${n}`, `new-${n}`, 'issuer'));
  });

  test('an admin invites a person: nobody is added, no link exists', async () => {
    const a = await admin();
    await nothingHappens(
      () => s.services.portal.invite(a.me, `invited-${n}`, 'issuer'),
      async (token) => expect(await s.services.portal.invitedPerson(token)).toEqual({ username: `invited-${n}` }),
    );
  });

  test('a new link from the operator, with and without clearing the second factor: the factor and the sessions stay, no link', async () => {
    const a = await admin();
    const offer = s.services.portal.totpOffer(a.me, 'PrTC');
    const app = authenticator(new URL(offer.uri).searchParams.get('secret')!);
    expect(await s.services.portal.totpEnable(a.me, offer.secret, app(s.clock.now()))).toHaveLength(10);
    await nothingHappens(() => s.services.portal.newLink(a.username, false));
    await nothingHappens(
      () => s.services.portal.newLink(a.username, true),
      async () => expect(await loggedIn(a.session)).toBe(false),
    );
  });

  test('an admin disables a person: still enabled, still logged in', async () => {
    const a = await admin();
    const { token } = await s.services.portal.createUser(a.me.realmName, `colleague-${n}`, 'issuer');
    await s.services.portal.setPasswordWithLink(token, PASSWORD);
    const login = await s.services.portal.login(`colleague-${n}`, PASSWORD, null);
    const colleague = (await s.services.portal.whoIs((login as { session: string }).session))!;
    await nothingHappens(
      () => s.services.portal.disable(a.me, colleague.me.id),
      async (done) => {
        expect(done).toBe(true);
        expect(await loggedIn((login as { session: string }).session)).toBe(false);
      },
    );
  });

  test('a code issued and a code voided: no code stored, the code still unused', async () => {
    const a = await admin();
    const issued = await s.services.portal.issue(a.me);
    await nothingHappens(() => s.services.portal.issue(a.me));
    await nothingHappens(
      () => s.services.portal.void(a.me, issued.shortId),
      async (done) => {
        expect(done).toBe(true);
        expect((await s.services.portal.lookup(a.me, issued.shortId))?.status).toBe('voided');
      },
    );
  });

  test('an API key created and revoked: no key, the key still active and its codes still unused', async () => {
    const a = await admin();
    await nothingHappens(() => s.services.portal.createApiKey(a.me, 'lab-1'));
    const token = await s.services.portal.createApiKey(a.me, 'lab-2');
    await s.services.authority.issueCode(await s.services.authority.authenticate(token));
    await nothingHappens(
      () => s.services.portal.revokeApiKey(a.me, 'lab-2'),
      (r) => expect(r).toEqual({ voided: 1 }),
    );
  });

  test("a realm's settings: unchanged", async () => {
    const a = await admin();
    await nothingHappens(() => s.services.portal.updateRealm(a.me, { requireTotp: true, dailyQuota: 7, personQuota: 3 }));
  });
});
