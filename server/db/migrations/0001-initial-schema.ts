/** The first schema: tokens, codes, pending keys and warnings, batches, per-day key counts. */
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, ts, str } from './columns';

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
