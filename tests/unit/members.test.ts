/**
 * Which of the phone's matches concern a family member (issue 32, docs/protocol.md §16): spans
 * computed by hand from the §1 time units (an ENIN is 600 s, a day 144 ENINs).
 */
import type { Checkin } from '../../miniprogram/services/checkins';
import { checkNickname, matchesFor, withPhone, type Member } from '../../miniprogram/services/members';
import type { BluetoothExposure, VenueExposure } from '../../shared/risk/status';

const at = (h: number, m = 0) => Date.UTC(2026, 10, 20, h, m) / 1000;
// 2026-11-20 is day 20454 + 323 = 20777 after 1970-01-01 (56 years, 14 leap days; 304 days to 1 Nov):
// 20777 × 86400 = 1795132800 s = ENIN 2991888 (÷ 600) = 20777 × 144, a day interval
const DAY = 2991888;
const member = (away: Member['away']): Member => ({ id: 'm1', nickname: 'Mia', colour: 'teal', addedAt: 0, away });
const checkin = (from: number, to: number, companions?: string[]): Checkin => ({
  id: 'c',
  locationId: '00'.repeat(32),
  description: 'Café',
  format: 'prtc',
  staff: false,
  checkInAt: from,
  checkOutAt: to,
  checkedOut: true,
  companions,
});

test('the hand-computed day interval is right', () => {
  expect(at(0) / 600).toBe(DAY);
  expect(DAY % 144).toBe(0);
});

test('a span is with the phone unless periods away cover all of it', () => {
  const was = withPhone(member([{ from: at(10), to: at(11) }]), []);
  expect(was({ from: at(10, 15), to: at(10, 45) })).toBe(false);
  expect(was({ from: at(10), to: at(11) })).toBe(false); // half-open: exactly covered
  expect(was({ from: at(10, 50), to: at(11, 10) })).toBe(true); // partly with: counts (never greener)
  expect(was({ from: at(9, 50), to: at(10, 0) + 1 })).toBe(true);
  // two periods meeting at 10:00 cover 09:30–10:30 together
  const twice = withPhone(
    member([
      { from: at(10), to: at(11) },
      { from: at(9), to: at(10) },
    ]),
    [],
  );
  expect(twice({ from: at(9, 30), to: at(10, 30) })).toBe(false);
  expect(twice({ from: at(8, 30), to: at(9, 30) })).toBe(true);
  // still away (to null) since 10:00
  const open = withPhone(member([{ from: at(10), to: null }]), []);
  expect(open({ from: at(23), to: at(23, 10) })).toBe(false);
  expect(open({ from: at(9, 59), to: at(10, 10) })).toBe(true);
  // a companion check-in 12:00–13:00 is with the phone whatever the periods away say
  const companion = withPhone(member([{ from: at(10), to: null }]), [checkin(at(12), at(13), ['m1']), checkin(at(14), at(15), ['other'])]);
  expect(companion({ from: at(12, 30), to: at(12, 40) })).toBe(true);
  expect(companion({ from: at(14, 30), to: at(14, 40) })).toBe(false);
});

test('matchesFor: by sighting times, by overlap, and by the whole day where a match has no times', () => {
  const bt = (eninFirst?: number, eninLast?: number): BluetoothExposure => ({
    keyId: 'k',
    day: DAY,
    minutes: 10,
    attenuation: 50,
    eninFirst,
    eninLast,
  });
  const venue = (from?: number, to?: number): VenueExposure => ({ day: DAY, minutes: 10, venue: 'Café', from, to });
  const m = member([{ from: at(0), to: at(12) }]); // away the whole morning
  // ENIN DAY + 60 = 10:00, DAY + 61 ends 10:20: inside the morning → not the member's
  const morning = bt(DAY + 60, DAY + 61);
  // DAY + 71 = 11:50, its last sighting DAY + 72 = 12:00–12:10: touches the afternoon → the member's
  const noon = bt(DAY + 71, DAY + 72);
  const noTimes = bt(); // the whole day, and the afternoon was with the phone → the member's
  const r = matchesFor(m, { bluetooth: [morning, noon, noTimes], venues: [venue(at(9), at(10)), venue(at(12), at(13)), venue()] }, []);
  expect(r.bluetooth).toEqual([noon, noTimes]);
  expect(r.venues).toEqual([venue(at(12), at(13)), venue()]);
  // away the whole day: even a match without times is not the member's
  const allDay = member([{ from: at(0), to: at(24) }]);
  expect(matchesFor(allDay, { bluetooth: [noTimes], venues: [] }, [])).toEqual({ bluetooth: [], venues: [] });
});

test('nicknames: 1 to 20 characters (code points), trimmed', () => {
  expect(checkNickname('  外婆 ')).toBe('外婆');
  expect(checkNickname('👵'.repeat(20))).toBe('👵'.repeat(20));
  for (const bad of ['', '  ', 'a'.repeat(21), '👵'.repeat(21), 42, null]) expect(() => checkNickname(bad)).toThrow(/1 to 20/);
});
