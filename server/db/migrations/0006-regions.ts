import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { str, ts } from './columns';

/**
 * Issue 30 (docs/protocol.md §15): keys published per region, each region its own chain, one signed
 * root over every chain's newest head.
 * - pending_region_key / pending_region_warning: what an upload holds for each region it named,
 *   one row per (key, region) under a random id, with no time (on SQLite WITHOUT ROWID, as
 *   pending_key: nothing numbers the rows as they came). `counts` marks the one row of a key that
 *   the day statistics count when it is published (a key published in several chains is one key).
 * - region_batch: the regions' published batches, keyed by (region, n); `size` is the body's bytes.
 * - root_head: the newest signed root and the leaves it was made of; region_release: the last
 *   release slot that ran (a publication moment, never an upload's).
 * The national chain (region 0) stays in `batch` and `pending_key` as it was.
 */
export class Regions1764806400000 implements MigrationInterface {
  name = 'Regions1764806400000';

  async up(q: QueryRunner): Promise<void> {
    const mysql = q.connection.driver.options.type === 'mysql';
    const int = (name: string, isPrimary = false) => ({ name, type: 'integer', isPrimary });
    if (mysql) {
      const rid = { name: 'id', type: 'varchar', length: '32', isPrimary: true };
      await q.createTable(
        new Table({ name: 'pending_region_key', columns: [rid, int('region'), str('aemk', 64), ts('i'), int('counts')] }),
      );
      await q.createTable(
        new Table({
          name: 'pending_region_warning',
          columns: [rid, int('region'), str('locationIdHash', 64), ts('startEnin'), ts('endEnin')],
        }),
      );
    } else {
      await q.query(
        'CREATE TABLE "pending_region_key" ("id" varchar(32) PRIMARY KEY NOT NULL, "region" integer NOT NULL, ' +
          '"aemk" varchar(64) NOT NULL, "i" bigint NOT NULL, "counts" integer NOT NULL) WITHOUT ROWID',
      );
      await q.query(
        'CREATE TABLE "pending_region_warning" ("id" varchar(32) PRIMARY KEY NOT NULL, "region" integer NOT NULL, ' +
          '"locationIdHash" varchar(64) NOT NULL, "startEnin" bigint NOT NULL, "endEnin" bigint NOT NULL) WITHOUT ROWID',
      );
    }
    await q.createIndex('pending_region_key', new TableIndex({ name: 'IDX_pending_region_key_region_i', columnNames: ['region', 'i'] }));
    await q.createIndex('pending_region_warning', new TableIndex({ name: 'IDX_pending_region_warning_region', columnNames: ['region'] }));
    const blob = mysql ? 'longblob' : 'blob';
    await q.createTable(
      new Table({
        name: 'region_batch',
        columns: [
          int('region', true),
          int('n', true),
          str('hash', 64),
          str('prevHash', 64),
          ts('createdAt'),
          str('signature', 128),
          int('keyCount'),
          int('warningCount'),
          int('size'),
          { name: 'body', type: blob },
        ],
        indices: [new TableIndex({ name: 'IDX_region_batch_created', columnNames: ['createdAt'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'root_head',
        columns: [int('id', true), int('count'), str('hash', 64), ts('signedAt'), str('signature', 128), { name: 'leaves', type: blob }],
      }),
    );
    await q.createTable(new Table({ name: 'region_release', columns: [int('id', true), ts('slot')] }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['region_release', 'root_head', 'region_batch', 'pending_region_warning', 'pending_region_key']) await q.dropTable(t);
  }
}
