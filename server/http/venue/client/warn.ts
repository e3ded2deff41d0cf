/**
 * Issue 31: /venue/warn in the browser. The owner pastes the poster's link; the page sends only the
 * venue's hash (and its region), the window in Unix seconds (typed in local time) and the code to
 * POST /v1/venue-warnings. The link and the description in it never leave the page.
 */
import type { VenueWarningRequest } from '../../../../shared/api/types';
import { localToUnix, venueTarget } from './venue-hash';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const result = $('result');

function say(kind: 'ok' | 'error', text: string): void {
  result.textContent = text;
  result.className = kind;
}

const MESSAGES: Record<string, string> = {
  code_unknown: '预警码不正确。 The code is not known: check it.',
  code_used: '此预警码已使用过。 This code has been used already.',
  code_expired: '此预警码已过期，请向卫生部门重新申请。 This code has expired: ask the health authority for a new one.',
  invalid_code_format: '预警码应为10个字符，如 ABCDE-12345。 The code is 10 characters, like ABCDE-12345.',
  invalid_interval:
    '时间段无效：最长24小时，14天内，且已结束。 The window is wrong: at most 24 hours, within the last 14 days, already over.',
};

async function send(e: Event): Promise<void> {
  e.preventDefault();
  const venue = venueTarget($<HTMLInputElement>('link').value);
  if (!venue) return say('error', '这不是场所码链接。 This is not a venue link.');
  const start = localToUnix($<HTMLInputElement>('from').value);
  const end = localToUnix($<HTMLInputElement>('until').value);
  if (start === null || end === null) return say('error', '请填写开始和结束时间。 Enter when the window starts and ends.');
  const body: VenueWarningRequest = { code: $<HTMLInputElement>('code').value, locationIdHash: venue.hashBase64url, start, end };
  if (venue.region !== null) body.region = venue.region;
  say('ok', '正在发送…… Sending…');
  try {
    const r = await fetch('/v1/venue-warnings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await r.json()) as { level?: string; error?: { code: string; message: string } };
    if (r.status === 201)
      return say(
        'ok',
        `预警已提交，将随下一批数据发布（级别：${answer.level}）。 The warning is accepted and goes out with the next batch (level: ${answer.level}).`,
      );
    const code = answer.error?.code ?? '';
    say('error', MESSAGES[code] ?? `${code}: ${answer.error?.message ?? r.status}`);
  } catch {
    say('error', '无法连接服务器，请稍后再试。 The server cannot be reached: try again later.');
  }
}

$('warn').addEventListener('submit', (e) => void send(e));
