/**
 * Migrations, written against TypeORM's portable Table API so the same code serves SQLite and
 * MySQL/MariaDB. Never `synchronize` outside tests.
 */
import { randomBytes } from 'node:crypto';
import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
const ts = (name: string, isNullable = false) => ({ name, type: 'bigint', isNullable });
const str = (name: string, length: number) => ({ name, type: 'varchar', length: String(length) });

export class InitialSchema1763856000000 implements MigrationInterface {
  name = 'InitialSchema1763856000000';

  async up(q: QueryRunner): Promise<void> {
    const blob = q.connection.options.type === 'mysql' || q.connection.options.type === 'mariadb' ? 'longblob' : 'blob';
    await q.createTable(
      new Table({
        name: 'authority_token',
        columns: [
          id,
          { ...str('name', 64), isUnique: true },
          { ...str('tokenHash', 64), isUnique: true },
          ts('createdAt'),
          ts('revokedAt', true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'upload_code',
        columns: [id, { ...str('codeHash', 64), isUnique: true }, ts('createdAt'), ts('expiresAt'), ts('usedAt', true)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'pending_key',
        columns: [id, str('aemk', 64), ts('i'), ts('createdAt')],
        indices: [new TableIndex({ name: 'IDX_pending_key_i', columnNames: ['i'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'pending_warning',
        columns: [id, str('locationIdHash', 64), ts('startEnin'), ts('endEnin'), ts('createdAt')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'batch',
        columns: [
          { name: 'n', type: 'integer', isPrimary: true },
          str('hash', 64),
          str('prevHash', 64),
          ts('createdAt'),
          ts('signedAt'),
          str('signature', 128),
          { name: 'keyCount', type: 'integer' },
          { name: 'warningCount', type: 'integer' },
          { name: 'body', type: blob },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'day_stat',
        columns: [
          { name: 'i', type: 'bigint', isPrimary: true },
          { name: 'keyCount', type: 'integer' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['day_stat', 'batch', 'pending_warning', 'pending_key', 'upload_code', 'authority_token']) await q.dropTable(t);
  }
}

/**
 * Issue 13: nothing stored may link a code to the keys uploaded with it, and the server must be able
 * to prove its database still writes.
 * - upload_code: `usedAt` (the exact moment keys arrived) becomes `used` and `usedDay` (the UTC day);
 *   `uploadTag` lets a client retry an upload whose answer it never got (HMAC of its uploadId).
 * - pending_key / pending_warning: random ids and no `createdAt`, so neither a time nor the order of
 *   arrival is kept (on SQLite the tables are WITHOUT ROWID: a rowid would number rows as they came).
 * - health: one row the readiness probe writes (a full or read-only disk fails it).
 * - wrong_code: wrong codes per minute, the brute-force alarm shared by all instances.
 */
export class PrivacyAndFaults1764460800000 implements MigrationInterface {
  name = 'PrivacyAndFaults1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('upload_code', new TableColumn({ name: 'used', type: 'integer', default: 0 }));
    await q.addColumn('upload_code', new TableColumn({ name: 'usedDay', type: 'bigint', isNullable: true }));
    await q.addColumn('upload_code', new TableColumn({ name: 'uploadTag', type: 'varchar', length: '64', isNullable: true }));
    await q.query('UPDATE upload_code SET used = 1, usedDay = usedAt - (usedAt % 86400) WHERE usedAt IS NOT NULL');
    await q.dropColumn('upload_code', 'usedAt');

    if (q.connection.driver.options.type === 'mysql') {
      // InnoDB keeps rows in primary-key order: random ids, random order
      const rid = { name: 'id', type: 'varchar', length: '32', isPrimary: true };
      await q.createTable(new Table({ name: 'pending_key_v2', columns: [rid, str('aemk', 64), ts('i')] }));
      await q.createTable(
        new Table({ name: 'pending_warning_v2', columns: [rid, str('locationIdHash', 64), ts('startEnin'), ts('endEnin')] }),
      );
    } else {
      // SQLite numbers every row in order of arrival (its rowid) unless the table is WITHOUT ROWID;
      // then rows are kept in primary-key order, and the random ids say nothing about arrival
      await q.query(
        'CREATE TABLE "pending_key_v2" ("id" varchar(32) PRIMARY KEY NOT NULL, "aemk" varchar(64) NOT NULL, "i" bigint NOT NULL) WITHOUT ROWID',
      );
      await q.query(
        'CREATE TABLE "pending_warning_v2" ("id" varchar(32) PRIMARY KEY NOT NULL, "locationIdHash" varchar(64) NOT NULL, ' +
          '"startEnin" bigint NOT NULL, "endEnin" bigint NOT NULL) WITHOUT ROWID',
      );
    }
    for (const k of (await q.query('SELECT aemk, i FROM pending_key')) as { aemk: string; i: number }[]) {
      await q.query('INSERT INTO pending_key_v2 (id, aemk, i) VALUES (?, ?, ?)', [randomId(), k.aemk, k.i]);
    }
    for (const w of (await q.query('SELECT locationIdHash, startEnin, endEnin FROM pending_warning')) as Record<string, unknown>[]) {
      await q.query('INSERT INTO pending_warning_v2 (id, locationIdHash, startEnin, endEnin) VALUES (?, ?, ?, ?)', [
        randomId(),
        w.locationIdHash,
        w.startEnin,
        w.endEnin,
      ]);
    }
    await q.dropTable('pending_key');
    await q.dropTable('pending_warning');
    await q.renameTable('pending_key_v2', 'pending_key');
    await q.renameTable('pending_warning_v2', 'pending_warning');
    await q.createIndex('pending_key', new TableIndex({ name: 'IDX_pending_key_i2', columnNames: ['i'] }));

    await q.createTable(new Table({ name: 'health', columns: [{ name: 'id', type: 'integer', isPrimary: true }, ts('probes')] }));
    await q.query('INSERT INTO health (id, probes) VALUES (1, 0)');
    await q.createTable(
      new Table({
        name: 'wrong_code',
        columns: [
          { name: 'minute', type: 'bigint', isPrimary: true },
          { name: 'failures', type: 'integer' },
        ],
      }),
    );
  }

  async down(): Promise<void> {
    throw new Error('this migration removes data that linked codes to keys; it is not reversible');
  }
}

/** 16 random bytes as hex: a row id that says nothing about when the row was written. */
export function randomId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Issue 14: the durations of real uploads, shared by every instance, so that a fake upload on an
 * instance that has seen no real one yet still takes as long as real ones do (fake-delay.ts).
 */
export class UploadTimings1764547200000 implements MigrationInterface {
  name = 'UploadTimings1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'upload_timing',
        columns: [
          { name: 'slot', type: 'integer', isPrimary: true },
          { name: 'us', type: 'integer' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('upload_timing');
  }
}

/**
 * Issue 16: revoking a token voids the codes it issued and that are still unused, so a code keeps
 * which token issued it (`issuedBy`: the authority, never the person) and when it was voided; a
 * revoked token's name can be given to a new token (the old row stays, as history).
 */
export class TokenHistory1764633600000 implements MigrationInterface {
  name = 'TokenHistory1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('upload_code', new TableColumn({ name: 'issuedBy', type: 'integer', isNullable: true }));
    await q.addColumn('upload_code', new TableColumn({ name: 'voidedAt', type: 'bigint', isNullable: true }));
    const table = await q.getTable('authority_token');
    for (const u of table?.uniques ?? [])
      if (u.columnNames.length === 1 && u.columnNames[0] === 'name') await q.dropUniqueConstraint('authority_token', u);
    for (const i of table?.indices ?? [])
      if (i.isUnique && i.columnNames.length === 1 && i.columnNames[0] === 'name') await q.dropIndex('authority_token', i);
    await q.createIndex('authority_token', new TableIndex({ name: 'IDX_authority_token_name', columnNames: ['name'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('authority_token', 'IDX_authority_token_name');
    await q.dropColumn('upload_code', 'voidedAt');
    await q.dropColumn('upload_code', 'issuedBy');
  }
}

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

export const MIGRATIONS = [
  InitialSchema1763856000000,
  PrivacyAndFaults1764460800000,
  UploadTimings1764547200000,
  TokenHistory1764633600000,
  Portal1764720000000,
];
