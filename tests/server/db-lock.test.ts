/**
 * The publish lock belongs to one database. MySQL's named locks (GET_LOCK) are global to the server:
 * without the database in the name, one deployment publishing blocked every other deployment (and
 * every test suite) sharing that MariaDB — seen as a batch that never appeared while another suite
 * published on the same server.
 */
import { openDatabase, type Database } from '../../server/db/database';
import { freshDb, MYSQL_AVAILABLE, type TestDb } from '../helpers/db';

const maybe = MYSQL_AVAILABLE ? test : test.skip;

maybe('a lock held on one database does not hold another database on the same server; on its own it does', async () => {
  const dbs: TestDb[] = [await freshDb('mysql'), await freshDb('mysql')];
  const open: Database[] = [];
  try {
    const [a, b] = await Promise.all(dbs.map((d) => openDatabase(d.url)));
    open.push(a, b);
    const a2 = await openDatabase(dbs[0].url);
    open.push(a2);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const holding = a.exclusive('prtc-publish', () => held.then(() => 'a'));
    await new Promise((r) => setTimeout(r, 200)); // a holds the lock now
    // another instance on the same database is kept out…
    expect(await a2.exclusive('prtc-publish', async () => 'a2')).toBeNull();
    // …one on another database is not
    expect(await b.exclusive('prtc-publish', async () => 'b')).toBe('b');
    release();
    expect(await holding).toBe('a');
    expect(await a2.exclusive('prtc-publish', async () => 'a2')).toBe('a2');
  } finally {
    await Promise.all(open.map((d) => d.close()));
    await Promise.all(dbs.map((d) => d.drop()));
  }
});
