/** The people of a realm: added by the operator's CLI or the realm's admins, given one-time links, disabled. */
import { PrtcError } from '../../../../shared/errors';
import type { Clock } from '../../../clock';
import type { NewLink, PortalRepository, Role } from '../repository';
import { auditAt, randomToken, sha256, type Me, type PortalConfig } from './common';

/** How long a one-time link lets its person set a password. */
export const INVITE_S = 24 * 3600;

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$/;
const REALM = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;

/** A person as the realm's admins see them: never a hash, a secret or a counter. */
export interface PersonView {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  secondFactor: boolean;
}

export function createPeopleService(deps: {
  repo: Pick<PortalRepository, 'people'>;
  clock: Clock;
  config: Pick<PortalConfig, 'realmQuota' | 'personQuota'>;
}) {
  const { clock } = deps;
  const { people } = deps.repo;
  const now = () => clock.now();
  const audit = auditAt(clock);

  /** A new one-time link: the token for the person, its hash and expiry for the repository. */
  const newLink = (): { token: string; link: NewLink } => {
    const token = randomToken();
    return { token, link: { tokenHash: sha256(token), expiresAt: now() + INVITE_S } };
  };
  const checkPerson = (username: string, role: Role): string => {
    const name = username.trim().toLowerCase();
    if (!USERNAME.test(name))
      throw new PrtcError('invalid_value', 'a username is 3-64 lower-case letters, digits, ".", "_" or "-"', 'username');
    if (role !== 'admin' && role !== 'issuer') throw new PrtcError('invalid_value', 'the role is admin or issuer', 'role');
    return name;
  };
  /** A person without a password yet (their link sets it). */
  const newPerson = (username: string, role: Role) => ({
    username,
    role,
    passwordHash: null,
    totpSecret: null,
    totpLastStep: null,
    recoveryHashes: null,
    createdAt: now(),
    disabledAt: null,
    failedLogins: 0,
    lockedUntil: null,
  });
  const taken = (name: string) => new PrtcError('name_taken', `the username "${name}" is taken`, 'username');

  return {
    /** The operator's CLI: a realm (created if new) and a person in it; returns the one-time link's token (24 h). */
    async createUser(realmName: string, username: string, role: Role): Promise<{ token: string; realmId: number; personId: number }> {
      if (!REALM.test(realmName))
        throw new PrtcError('invalid_value', 'a realm name is 1-63 letters, digits, spaces, ".", "_" or "-"', 'realm');
      const name = checkPerson(username, role);
      const { token, link } = newLink();
      const realm = {
        name: realmName,
        createdAt: now(),
        requireTotp: 0,
        dailyQuota: deps.config.realmQuota,
        personQuota: deps.config.personQuota,
      };
      // the realm's id is the repository's to find or make: the audit row gets it there
      const added = { at: now(), actorId: null, action: 'person_added', subject: `${name} (${role})` };
      const r = await people.createUser(realm, newPerson(name, role), link, added);
      if (!r) throw taken(name);
      return { token, ...r };
    },

    /** The operator's CLI, for a person who lost their password (or second factor): a new one-time link. */
    async newLink(username: string, clearSecondFactor: boolean): Promise<string | null> {
      const p = await people.byName(username.trim().toLowerCase());
      if (!p || p.disabledAt !== null) return null;
      const { token, link } = newLink();
      const rows = [audit(p.realmId, null, 'link_issued', p.username)];
      if (clearSecondFactor) rows.unshift(audit(p.realmId, null, 'second_factor_cleared', p.username));
      await people.newLink(p.id!, clearSecondFactor, link, rows);
      return token;
    },

    /** An admin adds a person to the realm; returns the token of their one-time link. */
    async invite(who: Me, username: string, role: Role): Promise<string> {
      const name = checkPerson(username, role);
      const { token, link } = newLink();
      const id = await people.add(
        { ...newPerson(name, role), realmId: who.realmId },
        link,
        audit(who.realmId, who.id, 'person_added', `${name} (${role})`),
      );
      if (id === null) throw taken(name);
      return token;
    },

    people: async (who: Me): Promise<PersonView[]> =>
      (await people.ofRealm(who.realmId)).map((p) => ({
        id: p.id!,
        username: p.username,
        role: p.role,
        disabled: p.disabledAt !== null,
        secondFactor: p.totpSecret !== null,
      })),

    /** An admin disables another person of the realm (their sessions end); false when there is none such. */
    async disable(who: Me, personId: number): Promise<boolean> {
      const p = await people.byId(personId);
      if (!p || p.realmId !== who.realmId || p.id === who.id || p.disabledAt !== null) return false;
      return people.disable(personId, now(), audit(who.realmId, who.id, 'person_disabled', p.username));
    },
  };
}
