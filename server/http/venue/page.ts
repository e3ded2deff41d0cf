/**
 * The /venue page: a form a venue owner fills in, in Chinese and English at once (as the poster
 * is). Everything else happens in the browser (client/venue.ts): the page sends nothing back.
 */
import { VENUE_TYPE_NAMES } from '../../../shared/poster/venue-text';
import { BUILD_REGIONS, PROVINCES, provinceOf } from '../../../shared/regions';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * §15: the region chooser, built here from the shipped list (the page connects nowhere): "not given"
 * first (a version 0x01 code), then each province's regions under its name; a municipality is one
 * option of its own.
 */
function regionOptions(): string {
  const groups = PROVINCES.map((p) => {
    const own = BUILD_REGIONS.filter((r) => provinceOf(r.code) === p.code);
    if (own.length === 0) return '';
    const opts = own.map((r) => `<option value="${r.code}">${esc(r.zh)}</option>`).join('');
    return `<optgroup label="${esc(p.zh)}">${opts}</optgroup>`;
  }).join('');
  return `<option value="" selected>不填 · not given</option>${groups}`;
}

export function venuePage(linkHost: string): string {
  const types = VENUE_TYPE_NAMES.map(
    (t, k) => `<option value="${k}"${k === 1 ? ' selected' : ''}>${esc(t.zh)} · ${esc(t.en)}</option>`,
  ).join('');
  return `<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>场所码 · Venue code</title>
<link rel="stylesheet" href="/venue/static/venue.css">
<script src="/venue/static/venue.js" defer></script>
</head>
<body data-link-host="${esc(linkHost)}">
<header>PrTC 健康码 · 场所码 <span lang="en">PrTC health code · venue code</span></header>
<main>
<section>
<h1>制作场所码 <span class="en" lang="en">Make a venue code</span></h1>
<p>海报在您的浏览器中生成，场所信息不会发送到任何服务器。 <span class="en" lang="en">The poster is made in your browser: nothing about the venue is sent to any server.</span></p>
<form id="venue" novalidate>
<label for="name">场所名称 <span class="en" lang="en">Name of the venue</span></label>
<input type="text" id="name" autocomplete="off" required aria-describedby="bytes">
<p id="bytes" class="hint" aria-live="polite"></p>
<label for="type">场所类型 <span class="en" lang="en">Kind of venue</span></label>
<select id="type">${types}</select>
<label for="minutes">通常停留时间（分钟） <span class="en" lang="en">Usual visit (minutes)</span></label>
<input type="number" id="minutes" min="1" max="1440" value="60">
<p class="check"><input type="checkbox" id="staff"> <label for="staff">员工码（覆盖整个班次） <span class="en" lang="en">Staff code (covers a shift)</span></label></p>
<p class="check"><input type="checkbox" id="event"> <label for="event">有起止时间的活动 <span class="en" lang="en">An event with start and end</span></label></p>
<div id="event-times" hidden>
<label for="from">开始 <span class="en" lang="en">Starts</span></label>
<input type="datetime-local" id="from">
<label for="until">结束 <span class="en" lang="en">Ends</span></label>
<input type="datetime-local" id="until">
</div>
<label for="region">所在地区（选填） <span class="en" lang="en">Region (optional)</span></label>
<select id="region" aria-describedby="region-why">${regionOptions()}</select>
<p id="region-why" class="hint">登记码含有地区时，到访者的手机也会关注该地区的提醒。 <span lang="en">With the region in the code, visitors’ phones also follow the warnings of that region.</span></p>
<label for="paper">纸张 <span class="en" lang="en">Paper</span></label>
<select id="paper"><option>A4</option><option>A5</option><option>A6</option></select>
<ul id="problems" class="error" role="alert"></ul>
<button type="submit" id="make">生成海报 <span lang="en">Make the poster</span></button>
</form>
<canvas id="poster" width="10" height="10" hidden aria-label="海报预览 Poster preview" role="img"></canvas>
<a id="download-png" class="download" hidden download="venue-poster.png">下载 PNG <span lang="en">Download PNG</span></a>
<a id="download-pdf" class="download" hidden download="venue-poster.pdf">下载 PDF <span lang="en">Download PDF</span></a>
<p><a href="/venue/warn">用卫生部门的预警码提醒访客 <span lang="en">Warn visitors with a code from the health authority</span></a></p>
</section>
<section>
<h2>批量制作 <span class="en" lang="en">Many rooms at once</span></h2>
<p class="hint">CSV（UTF-8 或 GBK），首行为列名：desc,type,staff,minutes,from,until，可加 region 列（六位地区代码，如 320500，或地区名称，如 苏州市；空则不填）。每个房间一页 PDF。 <span lang="en">A CSV file (UTF-8 or GBK) with a header row desc,type,staff,minutes,from,until, and optionally region (a six-digit region code such as 320500, or its name such as 苏州市; empty: not given): one PDF page per room. The file is read in your browser.</span></p>
<label for="csv">CSV 文件 <span class="en" lang="en">CSV file</span></label>
<input type="file" id="csv" accept=".csv,text/csv">
<ul id="csv-report" role="status"></ul>
<a id="download-csv-pdf" class="download" hidden download="venue-posters.pdf">下载 PDF <span lang="en">Download PDF</span></a>
</section>
</main>
</body>
</html>
`;
}

/**
 * Issue 31: /venue/warn, where a venue's owner warns its visitors with a code from the health
 * authority. The page sends only the venue's hash, the window and the code (client/warn.ts).
 */
export function venueWarnPage(): string {
  return `<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>场所预警 · Warn a venue's visitors</title>
<link rel="stylesheet" href="/venue/static/venue.css">
<script src="/venue/static/warn.js" defer></script>
</head>
<body>
<header>PrTC 健康码 · 场所预警 <span lang="en">PrTC health code · venue warning</span></header>
<main>
<section>
<h1>用卫生部门的预警码提醒访客 <span class="en" lang="en">Warn visitors with a code from the health authority</span></h1>
<p>只有场所的哈希值、时间段和预警码会发送到服务器，场所名称和链接不会。 <span class="en" lang="en">Only the venue's hash, the window and the code are sent to the server: never the venue's name or link.</span></p>
<form id="warn" novalidate>
<label for="link">海报上的场所码链接 <span class="en" lang="en">The link of the venue's poster</span></label>
<input type="url" id="link" autocomplete="off" spellcheck="false" required>
<label for="from">开始（本地时间） <span class="en" lang="en">From (your local time)</span></label>
<input type="datetime-local" id="from" required>
<label for="until">结束（本地时间） <span class="en" lang="en">Until (your local time)</span></label>
<input type="datetime-local" id="until" required>
<label for="code">预警码 <span class="en" lang="en">Warning code</span></label>
<input type="text" id="code" autocomplete="off" autocapitalize="characters" spellcheck="false" required>
<p id="result" role="status" aria-live="polite"></p>
<button type="submit" id="send">发送预警 <span lang="en">Send the warning</span></button>
</form>
<p><a href="/venue/">制作场所码 <span lang="en">Make a venue code</span></a></p>
</section>
</main>
</body>
</html>
`;
}
