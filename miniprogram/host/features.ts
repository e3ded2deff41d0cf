/**
 * What the mini-program offers on a host, derived from the host's capabilities in one place: the
 * device turns off what a host cannot do and the pages say so, instead of testing platforms.
 *
 * - beacon: put this phone's rpi on air (needs advertising and a tek, hence a secure random source);
 * - listen: record the rpis of phones nearby (a scanner is enough: no key of this phone is involved);
 * - keys: a tek on this phone — uploading its keys after a diagnosis and the cover uploads;
 * - venues: making venue codes (a random venue id); their poster also needs `images`, which the host's
 *   images.render reports as 'unsupported' where it has none;
 * - background: tracing that goes on while the mini-program is in the background (needs a host way
 *   to keep the JavaScript running, and something to trace with);
 * - liveScan: a camera left open on the page that reads codes as they come into view (the move to a
 *   new phone reads its frames so; without it, one scan per frame).
 * Check-ins (scanning a venue code), the status computed from published keys and the health code
 * shown at gates need nothing beyond what every host has (a scanner, storage, the network).
 */
import type { HostCapabilities } from './types';

export type Feature = 'beacon' | 'listen' | 'keys' | 'venues' | 'background' | 'liveScan';
export type Features = Readonly<Record<Feature, boolean>>;

const NEEDS: Readonly<Record<Feature, (c: HostCapabilities) => boolean>> = {
  beacon: (c) => c.advertise !== null && c.scan && c.secureRandom,
  listen: (c) => c.scan,
  keys: (c) => c.secureRandom,
  venues: (c) => c.secureRandom,
  background: (c) => c.background.via !== null && c.scan,
  liveScan: (c) => c.liveScan,
};

export const FEATURES = Object.keys(NEEDS) as Feature[];

export function featuresOf(c: HostCapabilities): Features {
  return Object.fromEntries(FEATURES.map((f) => [f, NEEDS[f](c)])) as Record<Feature, boolean>;
}
