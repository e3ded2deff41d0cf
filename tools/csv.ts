/** A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF; blank lines skipped. */
import { UsageError } from '../server/cli';

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let k = 0;
  const s = text.replace(/^\uFEFF/, '');
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    field = '';
  };
  while (k < s.length) {
    const c = s[k];
    if (quoted) {
      if (c === '"' && s[k + 1] === '"') {
        field += '"';
        k += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        k++;
        continue;
      }
      field += c;
      k++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      k++;
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      k++;
      continue;
    }
    if (c === '\r' && s[k + 1] === '\n') {
      endRow();
      k += 2;
      continue;
    }
    if (c === '\n') {
      endRow();
      k++;
      continue;
    }
    field += c;
    k++;
  }
  if (quoted) throw new UsageError('the CSV has an unclosed quote');
  if (field !== '' || row.length) endRow();
  return rows;
}
