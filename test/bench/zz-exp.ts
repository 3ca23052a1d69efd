import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { renderWebviewHtml } from '../../src/views/webviewHtml';
const origin = 'https://tejarat-webview.test';
async function main() {
  const root = '/work/main';
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'], headless: true });
  const context = await browser.newContext({ viewport: { width: 520, height: 900 } });
  await context.route(`${origin}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/app') return route.fulfill({ contentType: 'text/html', body: renderWebviewHtml({ cspSource: origin, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/dist/webview.css`, nonce: 'YmVuY2gtbm9uY2UtMDEyMzQ1Njc4OQ', locale: 'en', dir: 'ltr' }) });
    return route.fulfill({ contentType: path.endsWith('.js') ? 'text/javascript' : 'text/css', body: await readFile(join(root, path)) });
  });
  const page = await context.newPage();
  await page.addInitScript({ content: `globalThis.__name = (t) => t; window.acquireVsCodeApi = () => ({ postMessage(){}, getState(){}, setState(){} });` });
  await page.goto(`${origin}/app`);
  const answer = (await readFile('/tmp/answer.md', 'utf8')).slice(0, Number(process.argv[2] ?? 500000));
  await page.evaluate((answer) => {
    window.postMessage({ type: 'state', state: { locale: 'en', hasToken: true, conversation: { id: 'c', title: 'b', turns: [] } } }, '*');
    window.postMessage({ type: 'turnStarted', turn: { id: 't1', question: 'q', answer: '', status: 'pending', sources: [] } }, '*');
    window.postMessage({ type: 'append', turnId: 't1', text: answer + '\n\nlast paragraph' }, '*');
  }, answer);
  await page.waitForTimeout(1500);
  const variants: Record<string, string> = {
    asis: '',
    noFlex: '.panel{display:block;height:100%} .conversation{height:calc(100% - 100px)}',
    noOverflow: '.conversation{overflow:visible}',
    noCV: '.md-group{content-visibility:visible}',
    noWrap: '.markdown{overflow-wrap:normal}',
    noCaret: '.caret{animation:none}',
    containConv: '.conversation{contain:strict}',
  };
  for (const [name, css] of Object.entries(variants)) {
    const r = await page.evaluate(async (css) => {
      const sheet = new CSSStyleSheet(); sheet.replaceSync(css); document.adoptedStyleSheets = [sheet];
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
      const p = [...document.querySelectorAll('.markdown > p')].at(-1) as HTMLElement;
      const conv = document.querySelector('.conversation') as HTMLElement;
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t = performance.now();
        p.firstChild!.appendData(' word');
        void conv.scrollHeight;
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      return { median: times[15], max: times[29], groups: document.querySelectorAll('.md-group').length, kids: document.querySelector('.markdown')!.children.length };
    }, css);
    console.log(name, JSON.stringify(r));
  }
  await browser.close();
}
main();
