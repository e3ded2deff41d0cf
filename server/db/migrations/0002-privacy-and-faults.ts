import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ts, str } from './columns';
import { randomId } from '../ids';

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
