/**
 * Venue codes an owner makes on this phone (§7): the name, type, usual visit, event times and the
 * region when the owner gives one (§15, a version 0x02 code) go
 * into the QR code and into this phone's storage, nowhere else — no request carries them. The
 * poster is the one layout every side prints (shared/poster), painted on the host's 2D canvas at
 * A5 and 150 dpi, and saved to the photo album.
 */
import { paintVenuePoster, paperPixels, systemParts } from '../../shared/poster/canvas';
import { POSTER_FONT_STACK } from '../../shared/poster/draw';
import { draftProblems, posterVenueOf, venueLinkOf, type DraftProblem, type VenueDraft } from '../../shared/poster/venue-draft';
import { toBase64url, toHex } from '../../shared/protocol/codec';
import { sha256Bytes } from '../../shared/protocol/crypto';
import { parseVenueUrl } from '../../shared/protocol/venue';
import { isRegionCode } from '../../shared/regions';
import type { Host } from '../host/types';
import { isNum, isObj, type DeviceStorage } from './storage';

export interface OwnVenue {
  id: string;
  draft: VenueDraft;
  link: string;
  createdAt: number;
}

const KEY = 'venues';
/** A poster: A5 at 150 dpi (874 × 1240 px), enough for a table tent or a door; A4 prints scale it up. */
export const POSTER_PAPER = 'A5' as const;
export const POSTER_DPI = 150;
/** At most this many venues are kept (the list is for an owner's few rooms, not a registry). */
export const MAX_OWN_VENUES = 50;

function asDraft(v: unknown): VenueDraft | null {
  if (!isObj(v)) return null;
  const nullableNum = (x: unknown) => x === null || isNum(x);
  if (
    typeof v.name !== 'string' ||
    !isNum(v.venueType) ||
    !isNum(v.minutes) ||
    typeof v.staff !== 'boolean' ||
    typeof v.event !== 'boolean'
  )
    return null;
  if (!nullableNum(v.fromMin) || !nullableNum(v.untilMin)) return null;
  // §15: a venue kept before regions (or made without one) has none: its code is version 0x01
  if (v.region !== undefined && v.region !== null && !isRegionCode(v.region)) return null;
  const region = isRegionCode(v.region) ? { region: v.region } : {};
  return {
    name: v.name,
    venueType: v.venueType,
    minutes: v.minutes,
    staff: v.staff,
    event: v.event,
    fromMin: v.fromMin as number | null,
    untilMin: v.untilMin as number | null,
    ...region,
  };
}

function asList(v: unknown): OwnVenue[] | null {
  if (!Array.isArray(v)) return null;
  const out: OwnVenue[] = [];
  for (const e of v) {
    if (!isObj(e) || typeof e.id !== 'string' || typeof e.link !== 'string' || !isNum(e.createdAt)) return null;
    const draft = asDraft(e.draft);
    if (!draft) return null;
    out.push({ id: e.id, draft, link: e.link, createdAt: e.createdAt });
  }
  return out;
}

/**
 * The window an owner's warning offers first: the last usual visit (the venue's own `minutes`), ending
 * now at the minute — what "someone who was just here tested positive" needs; the owner moves it
 * to what the authority said.
 */
export function defaultWarnWindow(v: OwnVenue, nowS: number): { start: number; end: number } {
  const end = Math.floor(nowS / 60) * 60;
  return { start: end - Math.max(10, v.draft.minutes) * 60, end };
}

/** §7: what a warning publishes of a venue: SHA-256 of its location id (from its own link), base64url. */
export function locationIdHashOf(v: OwnVenue): string {
  return toBase64url(sha256Bytes(parseVenueUrl(v.link).locationId));
}

export class VenueCodes {
  constructor(
    private host: Host,
    private storage: DeviceStorage,
    /** The host part of venue links (the operator's domain, registered for WeChat's scan-to-open). */
    private linkHost: string,
  ) {}

  list(): OwnVenue[] {
    return this.storage.getJson(KEY, asList) ?? [];
  }

  problems(d: VenueDraft): DraftProblem[] {
    return draftProblems(d);
  }

  /** Makes the venue's code (a fresh random seed) and keeps it on this phone, newest first. */
  async create(d: VenueDraft): Promise<OwnVenue> {
    const seed = await this.host.randomBytes(16);
    const link = venueLinkOf(d, seed, this.linkHost);
    const id = toHex(await this.host.randomBytes(8));
    const { region, ...rest } = d;
    const draft: VenueDraft = { ...rest, name: d.name.trim(), ...(region === undefined || region === null ? {} : { region }) };
    const venue: OwnVenue = { id, draft, link, createdAt: Math.floor(this.host.nowMs() / 1000) };
    this.storage.setJson(KEY, [venue, ...this.list()].slice(0, MAX_OWN_VENUES));
    return venue;
  }

  remove(id: string): void {
    this.storage.setJson(
      KEY,
      this.list().filter((v) => v.id !== id),
    );
  }

  /** Paints the venue's poster on the host's canvas; the path of its PNG file. */
  async poster(v: OwnVenue): Promise<string> {
    const { width, height } = paperPixels(POSTER_PAPER, POSTER_DPI);
    return this.host.images.render(width, height, (ctx) => {
      paintVenuePoster(ctx, v.link, posterVenueOf(v.draft), systemParts, POSTER_PAPER, width, POSTER_FONT_STACK);
    });
  }

  /** Saves a poster file to the album (the host asks for album access the first time). */
  save(path: string): Promise<void> {
    return this.host.images.saveToAlbum(path);
  }
}
