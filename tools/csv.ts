/**
 * Venue rows from a CSV file, streamed: decoded (UTF-8 with or without BOM, or GBK/GB18030 — what
 * Excel saves on Chinese Windows — through iconv-lite), parsed by csv-parse, checked row by row,
 * at most MAX_ROWS rows. A bad file fails at its first bad row, in constant memory.
 *
 * Columns (header row, any order): desc, type, staff, minutes, from, until. `staff` is yes/no
 * (also true/false, 1/0, 是/否, empty = no): anything else is an error, not a silent "no".
 */
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { UsageError } from '../server/cli';

export const MAX_ROWS = 5000;
export const COLUMNS = ['desc', 'type', 'staff', 'minutes', 'from', 'until'] as const;
export type Column = (typeof COLUMNS)[number];
export type Row = Partial<Record<Column, string>> & { line: number };
export type Encoding = 'auto' | 'utf8' | 'gb18030';

/** True when `bytes` (a prefix of the file, maybe cut mid-character) is valid UTF-8. */
function looksUtf8(bytes: Uint8Array): boolean {
  let k = 0;
  while (k < bytes.length) {
    const b = bytes[k];
    const n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0) return false;
    for (let j = 1; j <= n; j++) {
      if (k + j >= bytes.length) return true; // cut by the sample's end
      if ((bytes[k + j] & 0xc0) !== 0x80) return false;
    }
    k += n + 1;
  }
  return true;
}

/** Decodes the stream as UTF-8, failing (not replacing) on an invalid sequence. */
function utf8Strict(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        cb(null, decoder.decode(chunk, { stream: true }));
      } catch {
        cb(new UsageError('the CSV is not valid UTF-8 (saved as GBK by Excel? then give --encoding gb18030)'));
      }
    },
    flush(cb) {
      try {
        cb(null, decoder.decode());
      } catch {
        cb(new UsageError('the CSV ends inside a UTF-8 character'));
      }
    },
  });
}

/** The file (or stdin for "-") as a byte stream, with the encoding decided from its first 64 KB when `auto`. */
async function opened(source: string, encoding: Encoding): Promise<{ text: Readable; encoding: 'utf8' | 'gb18030' }> {
  const bytes = source === '-' ? process.stdin : createReadStream(source, { highWaterMark: 64 * 1024 });
  await new Promise<void>((resolve, reject) => {
    bytes.once('readable', () => resolve());
    bytes.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new UsageError(`cannot read ${source}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'a folder' : e.message}`),
      ),
    );
  });
  const first: Buffer | null = bytes.read();
  if (first) bytes.unshift(first);
  const sample = first ?? Buffer.alloc(0);
  const chosen =
    encoding !== 'auto'
      ? encoding
      : (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) || looksUtf8(sample)
        ? 'utf8'
        : 'gb18030';
  const text = (chosen === 'utf8' ? bytes.pipe(utf8Strict()) : bytes.pipe(iconv.decodeStream('gb18030'))) as unknown as Readable;
  bytes.on('error', (e: Error) => text.destroy(e));
  return { text, encoding: chosen };
}

function strictBool(v: string | undefined, line: number): string {
  const s = (v ?? '').trim().toLowerCase();
  if (['', 'no', 'false', '0', 'n', '否'].includes(s)) return '';
  if (['yes', 'true', '1', 'y', '是'].includes(s)) return 'yes';
  throw new UsageError(`line ${line}: staff must be yes or no, not "${v}"`);
}

/** The venue rows of the CSV at `source` ("-": stdin), streamed; throws UsageError naming the line of the first problem. */
export async function* venueRows(source: string, encoding: Encoding = 'auto'): AsyncGenerator<Row> {
  const { text } = await opened(source, encoding);
  const parser = text.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => {
        const cols = header.map((h) => h.trim().toLowerCase());
        if (!cols.includes('desc') || !cols.includes('type'))
          throw new UsageError(`the CSV needs a header row with at least desc,type (columns: ${COLUMNS.join(',')})`);
        const unknown = cols.find((c) => !(COLUMNS as readonly string[]).includes(c));
        if (unknown !== undefined) throw new UsageError(`unknown CSV column "${unknown}" (columns: ${COLUMNS.join(',')})`);
        return cols;
      },
      skip_empty_lines: true,
      trim: true,
      max_record_size: 8192,
      info: true,
    }),
  );
  text.on('error', (e) => parser.destroy(e));
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (++rows > MAX_ROWS) throw new UsageError(`the CSV has more than ${MAX_ROWS} rows; split it`);
      const line = info.lines;
      yield { ...record, staff: strictBool(record.staff, line), line };
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const err = e as { code?: string; message?: string; lines?: number };
    if (err.code === 'CSV_INVALID_COLUMN_MAPPING' || (err.message ?? '').includes('unknown CSV column')) throw new UsageError(err.message!);
    throw new UsageError(`the CSV cannot be read${err.lines ? ` at line ${err.lines}` : ''}: ${(err.message ?? String(e)).split('\n')[0]}`);
  } finally {
    parser.destroy();
    text.destroy();
  }
  if (rows === 0) throw new UsageError('the CSV has no venue rows');
}
