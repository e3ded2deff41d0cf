import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, str, ts } from './columns';

/**
 * Issue 31: venue warnings with a level (docs/protocol.md §9 "Levels", §10 "Venue warning codes").
 * - pending_warning / pending_region_warning: the warning's `source` (0 a diagnosed visitor, 1 the
 *   health authority, 2 the venue's owner), `level` (0 none, 1 inform, 2 test, 3 isolate) and its
 *   `note` (the canonical JSON of §9, or null). Rows that were pending stay a visitor's: 0, 0, null.
 *   On SQLite a plain ALTER TABLE ADD COLUMN, so the tables stay WITHOUT ROWID (TypeORM's addColumn
 *   would rebuild them without it).
 * - venue_warning_code: the one-time codes the authority issues to venue owners, stored as the
 *   pepper's HMAC like upload codes; the level is fixed at issue. `used` is a flag, never a moment:
 *   a moment of use would link the code (and its realm) to the warning published next.
 */
export class VenueWarnings1764979200000 implements MigrationInterface {
  name = 'VenueWarnings1764979200000';

  async up(q: QueryRunner): Promise<void> {
    const mysql = q.connection.driver.options.type === 'mysql';
    for (const table of ['pending_warning', 'pending_region_warning']) {
      if (mysql) {
        await q.addColumn(table, new TableColumn({ name: 'source', type: 'integer', default: 0 }));
        await q.addColumn(table, new TableColumn({ name: 'level', type: 'integer', default: 0 }));
        await q.addColumn(table, new TableColumn({ name: 'note', type: 'varchar', length: '1100', isNullable: true }));
      } else {
        await q.query(`ALTER TABLE "${table}" ADD COLUMN "source" integer NOT NULL DEFAULT (0)`);
        await q.query(`ALTER TABLE "${table}" ADD COLUMN "level" integer NOT NULL DEFAULT (0)`);
        await q.query(`ALTER TABLE "${table}" ADD COLUMN "note" varchar(1100)`);
      }
    }
    await q.createTable(
      new Table({
        name: 'venue_warning_code',
        columns: [
          id,
          str('codeHash', 64),
          { name: 'level', type: 'integer' },
          ts('createdAt'),
          ts('expiresAt'),
          { name: 'used', type: 'integer', default: 0 },
          { name: 'realmId', type: 'integer', isNullable: true },
          { name: 'personId', type: 'integer', isNullable: true },
        ],
        uniques: [{ name: 'UQ_venue_warning_code_hash', columnNames: ['codeHash'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('venue_warning_code');
    for (const table of ['pending_region_warning', 'pending_warning'])
      for (const c of ['note', 'level', 'source']) await q.dropColumn(table, c);
  }
}
