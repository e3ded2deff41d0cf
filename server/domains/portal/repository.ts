/**
 * The portal's data, one repository per concern (repositories/): logins (links used, tries,
 * sessions, device cookies, the second factor), people (and the links issued to them), realms, and
 * the audit log. A realm's codes and API keys are the authority's: the portal reaches them through
 * its service.
 *
 * Every action is one method and one transaction, its audit row included: a link is used up only
 * with the password it set, a person is disabled only with the row that says who did it. (Google's
 * exposure-notifications-server keeps transactions in its database layer the same way: a service
 * asks for the action and never holds a transaction.)
 */
import type { Database } from '../../db/database';
import { createAuditRepository } from './repositories/audit';
import { createLoginsRepository } from './repositories/logins';
import { createPeopleRepository } from './repositories/people';
import { createRealmsRepository } from './repositories/realms';

export type { AuditRecord, AuditRepository } from './repositories/audit';
export type { LoginsRepository } from './repositories/logins';
export type { NewLink, NewPerson, PeopleRepository } from './repositories/people';
export type { RealmSettings, RealmsRepository } from './repositories/realms';
export type { PersonRow, RealmRow, Role } from '../../db/schema';

export function createPortalRepository(db: Database) {
  return {
    logins: createLoginsRepository(db),
    people: createPeopleRepository(db),
    realms: createRealmsRepository(db),
    audit: createAuditRepository(db),
  };
}

export type PortalRepository = ReturnType<typeof createPortalRepository>;
