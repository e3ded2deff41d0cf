import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

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
