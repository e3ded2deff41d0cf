/**
 * The migrations (server/db/migrations/) and the entities (server/db/schema.ts) describe the same
 * tables twice; the server reads and writes through the entities but its databases are made by the
 * migrations. Here the migrations run on an empty database, SQLite and MariaDB, and TypeORM's own
 * schema builder — which compares tables, columns (type, length, nullability, default), primary
 * keys, indexes and uniques as the database reports them — is asked what it would change to reach
 * the entities: nothing, or the two disagree. It never adds a table the entities lack nor drops one
 * they do not know, so the list of tables is compared on its own.
 *
 * And the names TypeORM keeps in its `migrations` table are the ones databases migrated by earlier
 * releases hold (a renamed migration would run again on them).
 */
import { DataSource, type DataSourceOptions } from 'typeorm';
import { openDatabase, type Database } from '../../server/db/database';
import { DB_KINDS, freshDb, type TestDb } from '../helpers/db';

/** What every database migrated so far holds in `migrations` (timestamp, name), in order. */
const RECORDED = [
  [1763856000000, 'InitialSchema1763856000000'],
  [1764460800000, 'PrivacyAndFaults1764460800000'],
  [1764547200000, 'UploadTimings1764547200000'],
  [1764633600000, 'TokenHistory1764633600000'],
  [1764720000000, 'Portal1764720000000'],
  [1764806400000, 'Regions1764806400000'],
  [1764892800000, 'RiskConfig1764892800000'],
  [1764979200000, 'VenueWarnings1764979200000'],
];

describe.each(DB_KINDS)('the schema on %s', (kind) => {
  let t: TestDb;
  let db: Database;
  let check: DataSource;
  beforeAll(async () => {
    t = await freshDb(kind);
    db = await openDatabase(t.url);
    check = db.ds;
    if (kind === 'mysql') {
      // TypeORM's mysql driver (the server's) reads MariaDB's COLUMN_DEFAULT of a nullable column,
      // the word NULL, as a string default, and would report every nullable column as changed; its
      // mariadb driver knows MariaDB's information_schema. The check reads with the one that fits.
      const [{ v }] = (await db.ds.query('SELECT VERSION() AS v')) as { v: string }[];
      if (/mariadb/i.test(v)) {
        check = new DataSource({ ...db.ds.options, type: 'mariadb' } as DataSourceOptions);
        await check.initialize();
      }
    }
  }, 30_000);
  afterAll(async () => {
    if (check && check !== db?.ds) await check.destroy();
    await db?.close();
    await t?.drop();
  });

  test('the migrations make exactly the tables, columns, indexes and uniques schema.ts describes', async () => {
    const pending = await check.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);

    const tables = (
      (await db.ds.query(
        kind === 'sqlite'
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
          : 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
      )) as { name: string }[]
    ).map((r) => r.name);
    const described = db.ds.entityMetadatas.map((m) => m.tableName);
    expect(tables.sort()).toEqual([...described, 'migrations'].sort());
  });

  test('the migrations are recorded under the names earlier releases recorded them by', async () => {
    const rows = (await db.ds.query('SELECT timestamp, name FROM migrations ORDER BY id')) as {
      timestamp: number | string;
      name: string;
    }[];
    expect(rows.map((r) => [Number(r.timestamp), r.name])).toEqual(RECORDED);
  });
});
