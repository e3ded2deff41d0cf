import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, ts, str } from './columns';

/**
 * Issue 20: the health authorities' portal. Realms (an authority or a clinic) with their people,
 * one-time password links, server-side sessions, OWASP device cookies (password guessing slows one
 * browser, not the real person's), an audit log; codes and API keys belong to a realm, and a code
 * has a short id staff can look it up by. Nothing here holds a code, a password, an IP address or a
 * user agent: only hashes, and the TOTP secret sealed under a key from CODE_PEPPER.
 */
export class Portal1764720000000 implements MigrationInterface {
  name = 'Portal1764720000000';

  async up(q: QueryRunner): Promise<void> {
    const int = (name: string, isNullable = false) => ({ name, type: 'integer', isNullable });
    await q.createTable(
      new Table({
        name: 'realm',
        columns: [id, { ...str('name', 64), isUnique: true }, ts('createdAt'), int('requireTotp'), int('dailyQuota'), int('personQuota')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'person',
        columns: [
          id,
          int('realmId'),
          { ...str('username', 64), isUnique: true },
          str('role', 16),
          { ...str('passwordHash', 200), isNullable: true },
          { ...str('totpSecret', 200), isNullable: true },
          { name: 'totpLastStep', type: 'bigint', isNullable: true },
          { name: 'recoveryHashes', type: 'text', isNullable: true },
          ts('createdAt'),
          ts('disabledAt', true),
          int('failedLogins'),
          ts('lockedUntil', true),
        ],
        indices: [new TableIndex({ name: 'IDX_person_realm', columnNames: ['realmId'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'invitation',
        columns: [{ ...str('tokenHash', 64), isPrimary: true }, int('personId'), ts('expiresAt'), ts('usedAt', true)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'portal_session',
        columns: [
          { ...str('idHash', 64), isPrimary: true },
          int('personId'),
          str('csrf', 64),
          int('stage'),
          ts('createdAt'),
          ts('lastSeenAt'),
        ],
        indices: [new TableIndex({ name: 'IDX_portal_session_person', columnNames: ['personId'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'device_cookie',
        columns: [
          { ...str('nonceHash', 64), isPrimary: true },
          int('personId'),
          int('failedLogins'),
          ts('lockedUntil', true),
          ts('createdAt'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_event',
        columns: [id, int('realmId'), ts('at'), int('actorId', true), str('action', 40), { ...str('subject', 200), isNullable: true }],
        indices: [new TableIndex({ name: 'IDX_audit_event_realm_at', columnNames: ['realmId', 'at'] })],
      }),
    );
    await q.addColumn('authority_token', new TableColumn({ name: 'realmId', type: 'integer', isNullable: true }));
    await q.addColumn('upload_code', new TableColumn({ name: 'realmId', type: 'integer', isNullable: true }));
    await q.addColumn('upload_code', new TableColumn({ name: 'personId', type: 'integer', isNullable: true }));
    await q.addColumn('upload_code', new TableColumn({ name: 'shortId', type: 'varchar', length: '16', isNullable: true }));
    await q.createIndex(
      'upload_code',
      new TableIndex({ name: 'IDX_upload_code_realm_short', columnNames: ['realmId', 'shortId'], isUnique: true }),
    );
    await q.createIndex('upload_code', new TableIndex({ name: 'IDX_upload_code_realm_created', columnNames: ['realmId', 'createdAt'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('upload_code', 'IDX_upload_code_realm_created');
    await q.dropIndex('upload_code', 'IDX_upload_code_realm_short');
    for (const c of ['shortId', 'personId', 'realmId']) await q.dropColumn('upload_code', c);
    await q.dropColumn('authority_token', 'realmId');
    for (const t of ['audit_event', 'device_cookie', 'portal_session', 'invitation', 'person', 'realm']) await q.dropTable(t);
  }
}
