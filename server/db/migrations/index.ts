/**
 * The migrations, one a file, in the order they run. TypeORM records each in its `migrations` table
 * by `name` (and the timestamp it ends with): those names are what existing databases know, so a
 * migration's class and `name` never change once released; a new one is a new file at the end.
 * The schema is never `synchronize`d from the entities: tests/server/schema.test.ts checks that
 * these produce exactly the tables schema.ts describes.
 */
import { InitialSchema1763856000000 } from './0001-initial-schema';
import { PrivacyAndFaults1764460800000 } from './0002-privacy-and-faults';
import { UploadTimings1764547200000 } from './0003-upload-timings';
import { TokenHistory1764633600000 } from './0004-token-history';
import { Portal1764720000000 } from './0005-portal';
import { Regions1764806400000 } from './0006-regions';
import { RiskConfig1764892800000 } from './0007-risk-config';
import { VenueWarnings1764979200000 } from './0008-venue-warnings';

export const MIGRATIONS = [
  InitialSchema1763856000000,
  PrivacyAndFaults1764460800000,
  UploadTimings1764547200000,
  TokenHistory1764633600000,
  Portal1764720000000,
  Regions1764806400000,
  RiskConfig1764892800000,
  VenueWarnings1764979200000,
];
