import { STATUS } from './strings/status';
import { TRACING } from './strings/tracing';
import { SYNC } from './strings/sync';
import { REPORT } from './strings/report';
import { SETTINGS } from './strings/settings';
import { CHECKINS } from './strings/checkins';
import { GATE } from './strings/gate';
import { HOST } from './strings/host';
import { HISTORY } from './strings/history';
import { VENUES } from './strings/venues';
import { COMMON } from './strings/common';
import { BACKGROUND } from './strings/background';
import { REGIONS } from './strings/regions';
import { EXPLAINED } from './strings/explained';
import { DIARY } from './strings/diary';
import { MEMBERS } from './strings/members';
import { MOVE } from './strings/move';
import { VENUE_WARNINGS } from './strings/venue-warnings';

/**
 * Every interface string, written in English and Simplified Chinese, one file per feature in
 * strings/ (a key is defined once: a unit test holds it). The Traditional Chinese of
 * Taiwan and of Hong Kong is generated from the Simplified with OpenCC (`npm run gen:hant`, into
 * _hant.gen.ts; a unit test fails when it is out of date). The host's language chooses (index.ts).
 */
export const STRINGS = {
  ...STATUS,
  ...TRACING,
  ...SYNC,
  ...REPORT,
  ...SETTINGS,
  ...CHECKINS,
  ...GATE,
  ...HOST,
  ...HISTORY,
  ...VENUES,
  ...COMMON,
  ...BACKGROUND,
  ...REGIONS,
  ...EXPLAINED,
  ...DIARY,
  ...MEMBERS,
  ...MOVE,
  ...VENUE_WARNINGS,
} as const;

export type StringKey = keyof typeof STRINGS;

/** Each feature's table, by file: the unit test checks no key is defined twice. */
export const STRING_TABLES = {
  status: STATUS,
  tracing: TRACING,
  sync: SYNC,
  report: REPORT,
  settings: SETTINGS,
  checkins: CHECKINS,
  gate: GATE,
  host: HOST,
  history: HISTORY,
  venues: VENUES,
  common: COMMON,
  background: BACKGROUND,
  regions: REGIONS,
  explained: EXPLAINED,
  diary: DIARY,
  members: MEMBERS,
  move: MOVE,
  venueWarnings: VENUE_WARNINGS,
} as const;
