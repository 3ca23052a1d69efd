// Host messages and answers the Chromium tests send.
import type { ChatState, HostMessage, Locale, SourceView, Turn } from '../../src/shared/messages';

export function state(turns: Turn[] = [], locale: Locale = 'en', hasToken = true): HostMessage {
  const conversation = { id: 'c1', title: 'Test', turns };
  const value: ChatState = { locale, hasToken, conversation };
  return { type: 'state', state: value };
}

export function turn(id: string, question: string, partial: Partial<Turn> = {}): Turn {
  return { id, question, answer: '', status: 'pending', sources: [], ...partial };
}

/** Splits text into `count` pieces at pseudo-random places (seeded), sometimes inside a surrogate pair's neighbours. */
export function chunk(text: string, count: number, seed = 1): string[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const cuts = new Set<number>();
  while (cuts.size < Math.min(count - 1, text.length - 1)) cuts.add(1 + Math.floor(random() * (text.length - 1)));
  const sorted = [...cuts].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const cut of [...sorted, text.length]) {
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  return pieces;
}

export const richAnswerEn = `## Streaming in the chat panel

The panel shows the answer **while it arrives**, with a caret at its end. Long answers stay smooth because only the
last block is parsed again; see [the design notes](https://docs.example.com/tejarat/streaming) for details.

1. Open the chat with \`Ctrl+Alt+T\`.
2. Ask a question; press *Esc* to stop.
3. Use **Insert at cursor** to put the answer in your file.

- [x] streaming
- [ ] fallback probe

> Automatic fallback: when the core answers 404, the normal endpoint is used.

| Setting | Default | Meaning |
|:--------|:-------:|--------:|
| \`tejarat.url\` | \`http://localhost:8000\` | RAG Core address |
| \`tejarat.timeout\` | 60 | seconds |

\`\`\`typescript
export async function ask(question: string): Promise<string> {
  const response = await fetch('/api/v1/query', { method: 'POST' }); // 404 → fallback
  return (await response.json()).answer ?? '';
}
\`\`\`

That's it — ~~no~~ reload needed.
`;

export const richAnswerFa = `## پاسخ جریانی در پنل گفتگو

React یک کتابخانه‌ی جاوااسکریپت برای ساخت رابط کاربری است و پنل گفتگو با Preact ساخته شده که همان رابط را دارد.
پاسخ **هنگام رسیدن** نمایش داده می‌شود و فقط بلوک آخر دوباره تجزیه می‌شود؛ جزئیات در [یادداشت طراحی](https://docs.example.com/tejarat/streaming).

1. گفتگو را با \`Ctrl+Alt+T\` باز کنید.
2. پرسش خود را بنویسید؛ برای توقف *Esc* را بزنید.
3. با **درج در محل مکان‌نما** پاسخ را در فایل بگذارید.

> اگر هسته پاسخ ۴۰۴ بدهد، درخواست معمولی به‌کار می‌رود.

| تنظیم | پیش‌فرض | معنا |
|:------|:-------:|-----:|
| \`tejarat.url\` | \`http://localhost:8000\` | نشانی RAG Core |
| \`tejarat.timeout\` | ۶۰ | ثانیه |

\`\`\`python
def ask(question: str) -> str:
    response = post("/api/v1/query", json={"query": question})  # 404 → fallback
    return response.json().get("answer", "")
\`\`\`

همین — نیازی به بارگذاری دوباره نیست.
`;

export const sourcesEn: SourceView[] = [
  { title: 'Streaming answers', url: 'https://docs.example.com/tejarat/streaming', snippet: 'The stream endpoint sends start, chunk, sources and end events.', score: 0.92 },
  { title: 'Token and network settings', url: 'https://docs.example.com/tejarat/network', snippet: 'Set the proxy and the CA file for corporate networks.', page: 4 },
  { title: 'Troubleshooting', snippet: 'When the core is unreachable the status bar says so.', score: 0.61, page: '12–13' },
];

export const sourcesFa: SourceView[] = [
  { title: 'پاسخ جریانی', url: 'https://docs.example.com/tejarat/streaming', snippet: 'نقطه‌ی پایانی جریانی رویدادهای start و chunk و sources و end را می‌فرستد.', score: 0.92 },
  { title: 'توکن و تنظیمات شبکه', url: 'https://docs.example.com/tejarat/network', snippet: 'پراکسی و پرونده‌ی CA را برای شبکه‌ی سازمانی تنظیم کنید.', page: 4 },
];

/** Things an answer or a source may contain that must never run, load, or navigate. `window.__pwned()` is the tell. */
export const xssAnswer = `# Attack <script>window.__pwned('script-heading')</script>

<script>window.__pwned('script-block')</script>

<img src="https://evil.example/img.png" onerror="window.__pwned('img-onerror')">

<svg onload="window.__pwned('svg-onload')"><circle r="1"/></svg>

<iframe src="https://evil.example/frame"></iframe>

<a href="javascript:window.__pwned('html-a')">html link</a> <b onmouseover="window.__pwned('b')">bold</b>

[markdown js link](javascript:window.__pwned('md-js'))
[entity js link](jav&#x61;script:window.__pwned('md-entity'))
[tab js link](java	script:window.__pwned('md-tab'))
[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[vbscript](vbscript:msgbox(1))
[relative](/etc/passwd) [protocol relative](//evil.example/x)
![tracking pixel](https://evil.example/pixel.gif)
![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)
[![image in link](https://evil.example/a.png)](https://evil.example/b)
<https://evil.example/autolink> and <javascript:alert(1)>

Text with &lt;script&gt;window.__pwned('entities')&lt;/script&gt; and &#60;img src=x onerror=window.__pwned('num')&#62;

<details open><summary>x</summary><img src=x onerror="window.__pwned('details')"></details>

<style>body { background: url(https://evil.example/css.png) }</style>

<link rel="stylesheet" href="https://evil.example/x.css">
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<form action="https://evil.example/"><button>submit</button></form>
<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">
<video src="https://evil.example/v.mp4" autoplay></video>

\`\`\`html
<script>window.__pwned('code')</script>
<img src=x onerror="window.__pwned('code-img')">
\`\`\`

| <img src=x onerror="window.__pwned('table')"> | [t](javascript:window.__pwned('table-link')) |
|---|---|
| <svg/onload=window.__pwned('cell')> | ok |
`;

export const xssSources: SourceView[] = [
  { title: '<script>window.__pwned("source-title")</script>', url: 'javascript:window.__pwned("source-url")', snippet: '<img src=x onerror="window.__pwned(\'snippet\')">' },
  { title: '<img src="https://evil.example/t.png" onerror="window.__pwned(\'title-img\')">', url: 'data:text/html,<script>window.__pwned("data")</script>', snippet: '&lt;svg onload=window.__pwned("s")&gt;' },
  { title: 'Entity url', url: 'jav&#x61;script:window.__pwned("entity-url")', snippet: '<svg onload="window.__pwned(\'svg\')"></svg>' },
  { title: 'Good source', url: 'https://docs.example.com/ok', snippet: 'fine', score: 0.5 },
];

/** A deterministic pseudo-random source, so every run sees the same conversation. */
export function seeded(seed: number): () => number {
  let value = seed;
  return () => {
    value = (value * 1103515245 + 12345) % 2147483648;
    return value / 2147483648;
  };
}

const wordsEn = 'the core answers streaming token proxy certificate request fallback endpoint panel source model cache retry network editor question user extension'.split(' ');
const wordsFa = 'هسته پاسخ جریانی توکن پراکسی گواهی درخواست نقطه پنل منبع مدل حافظه تلاش شبکه ویرایشگر پرسش کاربر افزونه'.split(' ');

/** An answer as a model writes one: paragraphs in both languages, lists, code, tables and headings. */
export function longAnswer(targetBytes: number, seed = 42): string {
  const next = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const sentence = (words: readonly string[], length: number) =>
    Array.from({ length }, (_, index) => (index === 3 && next() < 0.3 ? `**${pick(words)}**` : index === 6 && next() < 0.3 ? `\`${pick(wordsEn)}\`` : pick(words))).join(' ');
  const blocks: string[] = [];
  let bytes = 0;
  let section = 0;
  while (bytes < targetBytes) {
    const kind = next();
    let block: string;
    if (kind < 0.06) block = `## Section ${++section}: ${sentence(wordsEn, 4)}`;
    else if (kind < 0.45) block = `${sentence(wordsEn, 30 + Math.floor(next() * 40))}.`;
    else if (kind < 0.7) block = `React ${sentence(wordsFa, 30 + Math.floor(next() * 40))}.`;
    else if (kind < 0.8) block = Array.from({ length: 3 + Math.floor(next() * 4) }, (_, index) => `${index + 1}. ${sentence(next() < 0.5 ? wordsEn : wordsFa, 8)}`).join('\n');
    else if (kind < 0.92) {
      const lines = Array.from({ length: 5 + Math.floor(next() * 10) }, (_, index) => `  const value${index} = await client.ask("${pick(wordsEn)}", { retries: ${index} }); // ${pick(wordsEn)}`);
      block = ['```typescript', 'export async function run(client: Client): Promise<void> {', ...lines, '}', '```'].join('\n');
    } else {
      const rows = Array.from({ length: 4 }, () => `| \`${pick(wordsEn)}\` | ${pick(wordsFa)} | ${Math.floor(next() * 1000)} |`);
      block = ['| Setting | توضیح | Value |', '|---|---|--:|', ...rows].join('\n');
    }
    blocks.push(block);
    bytes += Buffer.byteLength(block) + 2;
  }
  return blocks.join('\n\n') + '\n';
}

/**
 * A conversation of `count` finished turns with answers of 10–20 KB (code, tables, Persian), a few of them stopped
 * or cut off (they offer Retry), some with sources and details. Turn ids are `h1` … `hN`.
 */
export function longConversation(count: number, seed = 7): Turn[] {
  const next = seeded(seed);
  return Array.from({ length: count }, (_, index): Turn => {
    const status = index % 37 === 5 ? 'stopped' : index % 53 === 11 ? 'cut-off' : 'done';
    return turn(`h${index + 1}`, index % 2 === 0 ? `Question ${index + 1}: how does the ${wordsEn[1 + (index % (wordsEn.length - 1))]} work?` : `پرسش ${index + 1}: ${wordsFa[index % wordsFa.length]} چگونه کار می‌کند؟`, {
      answer: longAnswer(10_000 + Math.floor(next() * 10_000), seed * 1000 + index),
      status,
      mode: 'stream',
      sources: index % 3 === 0 ? sourcesEn : [],
      metadata: status === 'done' ? { model: 'gpt-4', tokens: 3000 + index, processingTimeMs: 2400, cached: false } : undefined,
    });
  });
}
