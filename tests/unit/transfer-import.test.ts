/**
 * §17: what a move carries and how the new phone takes it — all or nothing, within WeChat's storage
 * limits (wx.setStorageSync: 1 MB a key, 10 MB in all), over a storage that fails where told to.
 */
import type { Host } from '../../miniprogram/host/types';
import { fnv1a } from '../../miniprogram/services/storage';
import { journalText, PhoneData } from '../../miniprogram/services/transfer';

/** A host with only a storage: `failAt` makes that many'th set throw, as WeChat does when full. */
function hostWith(entries: Record<string, string>, opts: { limitKB?: number; perKey?: number; failAt?: number } = {}) {
  const store = new Map(Object.entries(entries));
  let sets = 0;
  const host = {
    capabilities: { storageValueBytes: opts.perKey ?? 1024 * 1024 },
    storage: {
      get: (k: string) => store.get(k) ?? null,
      set: (k: string, v: string) => {
        if (++sets === opts.failAt) throw new Error('setStorageSync:fail exceed storage max size 10MB');
        store.set(k, v);
      },
      remove: (k: string) => void store.delete(k),
      info: () => ({ keys: [...store.keys()], currentSizeKB: 0, limitSizeKB: opts.limitKB ?? 10 * 1024 }),
    },
  } as unknown as Host;
  return { host, store };
}
const env = (text: string) => `1:${fnv1a(text)}:${text}`;

test('the snapshot carries every entry but the phone-bound ones and damaged ones, without envelopes', () => {
  const { host } = hostWith({
    'prtc.tek': env('{"tek":"aa"}'),
    'prtc.enc.20000': env('AAAA'),
    'prtc.members': env('[{"nick":"Mia"}]'), // an entry a later feature adds: carried as it is
    'prtc.consent': env('{}'),
    'prtc.tracing': env('{"on":true}'),
    'prtc.pinnedKey': env('k'),
    'prtc.move.out': env('{}'),
    'prtc.diary': '1:00000000:damaged',
    'other.app': 'x',
  });
  expect(new PhoneData(host).snapshot()).toEqual({
    v: 1,
    entries: { tek: '{"tek":"aa"}', 'enc.20000': 'AAAA', members: '[{"nick":"Mia"}]' },
  });
});

test('a phone has data of its own unless it holds only what it rebuilds (a fresh tek, a sync, the configuration, the log of checks)', () => {
  const fresh = {
    'prtc.tek': env('t'),
    'prtc.sync': env('s'),
    'prtc.riskConfig': env('r'),
    'prtc.history': env('h'),
    'prtc.consent': env('{}'),
  };
  expect(new PhoneData(hostWith(fresh).host).hasData()).toBe(false);
  expect(new PhoneData(hostWith({ ...fresh, 'prtc.enc.1': env('A') }).host).hasData()).toBe(true);
  expect(new PhoneData(hostWith({ ...fresh, 'prtc.diary': env('[]') }).host).hasData()).toBe(true);
});

test("limits: an entry over the host's per-key size, or a total over its storage with the phone's own entries kept, is refused", () => {
  // envelope: "1:" + 8 hex + ":" = 11 characters
  const perKey = hostWith({}, { perKey: 111 }).host;
  expect(new PhoneData(perKey).tooLarge({ v: 1, entries: { a: 'x'.repeat(100) } })).toBeNull();
  expect(new PhoneData(perKey).tooLarge({ v: 1, entries: { a: 'x'.repeat(101) } })).toBe('key');
  // 1 KB in all: the kept consent (500 characters) + 513 + 11 = 1024 fits; one more character does not
  const kept = { 'prtc.consent': 'c'.repeat(500), 'prtc.enc.1': 'replaced, not counted'.repeat(50) };
  expect(new PhoneData(hostWith(kept, { limitKB: 1 }).host).tooLarge({ v: 1, entries: { b: 'y'.repeat(513) } })).toBeNull();
  expect(new PhoneData(hostWith(kept, { limitKB: 1 }).host).tooLarge({ v: 1, entries: { b: 'y'.repeat(514) } })).toBe('total');
});

test('replace: the snapshot in, the other carried entries out, the phone-bound ones kept', () => {
  const { host, store } = hostWith({
    'prtc.tek': env('mine'),
    'prtc.enc.5': env('OLD'),
    'prtc.consent': env('{}'),
    'prtc.move.in': env('[]'),
  });
  const s = { v: 1 as const, entries: { tek: 'theirs', 'enc.9': 'NEW' } };
  new PhoneData(host).replace(s, journalText(s, '0011223344556677', true));
  expect(Object.fromEntries(store)).toEqual({
    'prtc.tek': env('theirs'),
    'prtc.enc.9': env('NEW'),
    'prtc.consent': env('{}'),
    'prtc.move.in': env('[]'),
  });
});

test('replace: a write that fails halfway puts every entry back as it was', () => {
  for (const failAt of [1, 2, 3]) {
    const before = { 'prtc.tek': env('mine'), 'prtc.enc.5': env('OLD'), 'prtc.consent': env('{}') };
    const { host, store } = hostWith(before, { failAt });
    const s = { v: 1 as const, entries: { tek: 'theirs', 'enc.9': 'NEW', checkins: '[]' } };
    expect(() => new PhoneData(host).replace(s, journalText(s, '0011223344556677', true))).toThrow(/10MB/);
    expect(Object.fromEntries(store)).toEqual(before); // the journal gone too
  }
});

test('replace: the journal is written before the first entry and removed after the last, after the commit', () => {
  const { host, store } = hostWith({ 'prtc.tek': env('mine'), 'prtc.sync': env('s') });
  const log: string[] = [];
  const { set, remove } = host.storage;
  host.storage.set = (k, v) => (log.push(`set ${k}`), set(k, v));
  host.storage.remove = (k) => (log.push(`remove ${k}`), remove(k));
  const s = { v: 1 as const, entries: { tek: 'theirs', 'enc.9': 'NEW' } };
  const journal = journalText(s, '0011223344556677', false);
  new PhoneData(host).replace(s, journal, () => log.push('commit'));
  expect(log).toEqual([
    'set prtc.move.importing',
    'set prtc.tek',
    'set prtc.enc.9',
    'remove prtc.sync',
    'commit',
    'remove prtc.move.importing',
  ]);
  expect(store.has('prtc.move.importing')).toBe(false);
  // what the journal said: the transfer, the entries to be written, whether the phone's own data was replaced
  expect(JSON.parse(journal.slice(11))).toEqual({ v: 1, id: '0011223344556677', keys: ['tek', 'enc.9'], replaced: false });
  expect(journal.slice(0, 11)).toBe(`1:${fnv1a(journal.slice(11))}:`);
});

test('recoverImport: after a kill, every carried entry goes, the id is no longer imported, the journal goes last', () => {
  const journal = env(JSON.stringify({ v: 1, id: 'aaaaaaaaaaaaaaaa', keys: ['tek', 'enc.9'], replaced: true }));
  const { host, store } = hostWith({
    'prtc.move.importing': journal,
    'prtc.tek': env('theirs'), // written by the import
    'prtc.enc.5': env('OLD'), // the phone's own, which the user agreed to replace: gone too
    'prtc.consent': env('{}'),
    'prtc.pinnedKey': env('k'),
    'prtc.move.out': env('{}'),
    'prtc.move.in': env('["bbbbbbbbbbbbbbbb","aaaaaaaaaaaaaaaa"]'),
    'other.app': 'x',
  });
  expect(new PhoneData(host).recoverImport()).toEqual({ replaced: true });
  expect(Object.fromEntries(store)).toEqual({
    'prtc.consent': env('{}'),
    'prtc.pinnedKey': env('k'),
    'prtc.move.out': env('{}'),
    'prtc.move.in': env('["bbbbbbbbbbbbbbbb"]'),
    'other.app': 'x',
  });
  // once more (a kill during the recovery is undone by the next launch): nothing left to do
  expect(new PhoneData(host).recoverImport()).toBeNull();
});

test('recoverImport: no journal changes nothing; a damaged one still undoes the import', () => {
  const entries = { 'prtc.tek': env('mine'), 'prtc.consent': env('{}') };
  const clean = hostWith(entries);
  expect(new PhoneData(clean.host).recoverImport()).toBeNull();
  expect(Object.fromEntries(clean.store)).toEqual(entries);
  const damaged = hostWith({ ...entries, 'prtc.move.importing': '1:00000000:{"v":1' });
  expect(new PhoneData(damaged.host).recoverImport()).toEqual({ replaced: false });
  expect(Object.fromEntries(damaged.store)).toEqual({ 'prtc.consent': env('{}') });
});

test("limits: the journal counts, and must fit one key; 200 entries' names make a journal of a few KB", () => {
  const s = { v: 1 as const, entries: { a: 'x'.repeat(100) } };
  const journal = journalText(s, '0011223344556677', false); // 11 + {"v":1,"id":"0011223344556677","keys":["a"],"replaced":false} (7 + 24 + 13 + 17)
  expect(journal.length).toBe(72);
  expect(new PhoneData(hostWith({}, { perKey: 111 }).host).tooLarge(s, journal)).toBeNull();
  expect(new PhoneData(hostWith({}, { perKey: 71 }).host).tooLarge({ v: 1, entries: {} }, journal)).toBe('key');
  // 1 KB in all: 111 for the entry + 72 for the journal + 841 kept = 1024 fits; one more does not
  expect(new PhoneData(hostWith({ 'prtc.consent': 'c'.repeat(841) }, { limitKB: 1 }).host).tooLarge(s, journal)).toBeNull();
  expect(new PhoneData(hostWith({ 'prtc.consent': 'c'.repeat(842) }, { limitKB: 1 }).host).tooLarge(s, journal)).toBe('total');
  const many = { v: 1 as const, entries: Object.fromEntries([...Array(200).keys()].map((i) => [`enc.${2991888 + i}`, ''])) };
  expect(journalText(many, '0011223344556677', true).length).toBeLessThan(4 * 1024);
});
