import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ts } from './columns';

/**
 * Issue 29: the signed configuration the server serves (§6, version 2 with the health authority's
 * advice) is published by its operator, so it lives in the database every instance reads: one row
 * per publication, never changed or deleted (the history of what phones were told, and by whom: a
 * portal person and their realm, or the CLI). The realm that may publish from the portal is the
 * operator's: a flag on the realm, set with `admin operator-realm`.
 */
export class RiskConfig1764892800000 implements MigrationInterface {
  name = 'RiskConfig1764892800000';

  async up(q: QueryRunner): Promise<void> {
    const mysql = q.connection.options.type === 'mysql' || q.connection.options.type === 'mariadb';
    await q.createTable(
      new Table({
        name: 'risk_config',
        columns: [
          { name: 'serial', type: 'integer', isPrimary: true },
          // the exact JSON text served and signed; later sections (regions…) may make it large
          { name: 'json', type: mysql ? 'mediumtext' : 'text' },
          ts('publishedAt'),
          { name: 'realmId', type: 'integer', isNullable: true },
          { name: 'personId', type: 'integer', isNullable: true },
        ],
      }),
    );
    await q.addColumn('realm', new TableColumn({ name: 'operator', type: 'integer', default: 0 }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('realm', 'operator');
    await q.dropTable('risk_config');
  }
}
