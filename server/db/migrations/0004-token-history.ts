import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

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
