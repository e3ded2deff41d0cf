/**
 * The /venue page: a form a venue owner fills in, in Chinese and English at once (as the poster
 * is). Everything else happens in the browser (client/venue.ts): the page sends nothing back.
 */
import { VENUE_TYPE_NAMES } from '../../../shared/poster/venue-text';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

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
<label for="paper">纸张 <span class="en" lang="en">Paper</span></label>
<select id="paper"><option>A4</option><option>A5</option><option>A6</option></select>
<ul id="problems" class="error" role="alert"></ul>
<button type="submit" id="make">生成海报 <span lang="en">Make the poster</span></button>
</form>
<canvas id="poster" width="10" height="10" hidden aria-label="海报预览 Poster preview" role="img"></canvas>
<a id="download-png" class="download" hidden download="venue-poster.png">下载 PNG <span lang="en">Download PNG</span></a>
<a id="download-pdf" class="download" hidden download="venue-poster.pdf">下载 PDF <span lang="en">Download PDF</span></a>
</section>
<section>
<h2>批量制作 <span class="en" lang="en">Many rooms at once</span></h2>
<p class="hint">CSV（UTF-8 或 GBK），首行为列名：desc,type,staff,minutes,from,until。每个房间一页 PDF。 <span lang="en">A CSV file (UTF-8 or GBK) with a header row desc,type,staff,minutes,from,until: one PDF page per room. The file is read in your browser.</span></p>
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
