/**
 * Issue 31 (docs/protocol.md §9 "Levels"): a pending warning's row as the batch carries it. The
 * columns hold the body's byte values (source, level) and the note's canonical JSON, so what was
 * checked when the warning was accepted is what the encoder writes.
 */
import { decodeWarningNote, WARNING_LEVELS, WARNING_SOURCES, type VenueWarning } from '../../../shared/protocol/batch';
import { fromHex, utf8Encode } from '../../../shared/protocol/codec';
import type { PendingWarningRow, WarningLevelColumns } from '../../db/schema';

export function warningOfRow(w: Pick<PendingWarningRow, 'locationIdHash' | 'startEnin' | 'endEnin'> & WarningLevelColumns): VenueWarning {
  const out: VenueWarning = { locationIdHash: fromHex(w.locationIdHash), startEnin: w.startEnin, endEnin: w.endEnin };
  const source = WARNING_SOURCES[w.source ?? 0];
  const level = WARNING_LEVELS[w.level ?? 0];
  if (source && source !== 'visitor') out.source = source;
  if (level) out.level = level;
  return w.note ? { ...out, ...decodeWarningNote(utf8Encode(w.note)) } : out;
}
