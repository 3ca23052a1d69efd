// The panel's strings in English and Persian. The host tells the locale (VS Code's display language) in `state`.
import type { Locale } from '../src/shared/messages';

const en = {
  panelLabel: 'Tejarat chat',
  conversationLabel: 'Conversation',
  newConversation: 'New conversation',
  emptyTitle: 'Ask Tejarat',
  emptyBody: 'Ask about our systems, code and processes. Answers stream in with the sources they come from.',
  emptyHintSelection: 'Select code in the editor and run "Ask about selection" to ask about it.',
  emptyHintKeys: 'Enter sends, Shift+Enter adds a line, Esc stops an answer.',
  noTokenTitle: 'Set your access token first',
  noTokenBody: 'Tejarat needs your personal access token for RAG Core. It is stored in VS Code\'s secret storage, never in settings.',
  setToken: 'Set access token',
  you: 'You',
  assistant: 'Tejarat',
  inputLabel: 'Ask a question',
  inputPlaceholder: 'Ask a question… (Enter to send, Shift+Enter for a new line)',
  send: 'Send',
  stop: 'Stop (Esc)',
  retry: 'Retry',
  waiting: 'Waiting for RAG Core…',
  waitingSeconds: 'Waiting for RAG Core… {0} s',
  stopped: 'Stopped. The answer is incomplete.',
  cutOff: 'The connection was lost. The answer is cut off.',
  shortenedForStorage: 'Shortened for storage: this answer was longer than the history keeps, so its end is missing.',
  failed: 'The answer failed.',
  sources: 'Sources ({0})',
  score: 'score {0}',
  page: 'page {0}',
  model: 'model {0}',
  tokens: '{0} tokens',
  seconds: '{0} s',
  cached: 'cached',
  fallbackMode: 'non-streaming mode',
  fallbackModeTitle: 'RAG Core does not stream yet; this answer came as one response.',
  copy: 'Copy',
  copied: 'Copied',
  insertAtCursor: 'Insert at cursor',
  insertAsDocument: 'Insert as new document',
  copyCode: 'Copy code',
  insertCode: 'Insert code at cursor',
  codeLabel: 'Code: {0}',
  answerReady: 'Answer ready.',
  answerReadyWithSources: 'Answer ready, with {0} sources.',
  answerStopped: 'Answer stopped.',
  answerCutOff: 'Answer cut off.',
  answerFailed: 'Answer failed: {0}',
  image: 'Image: {0}',
  rawHtml: 'HTML shown as text',
  citationLabel: 'Source {0}: {1}',
  citedTimes: 'cited {0}×',
  citationBackLink: 'Go to citation {0} in the answer',
  citationBackLinkText: '↑{0}',
};

export type StringKey = keyof typeof en;

const fa: Record<StringKey, string> = {
  panelLabel: 'گفتگوی تجارت',
  conversationLabel: 'گفتگو',
  newConversation: 'گفتگوی تازه',
  emptyTitle: 'از تجارت بپرسید',
  emptyBody: 'درباره‌ی سامانه‌ها، کد و فرایندهای ما بپرسید. پاسخ همراه با منابعش به‌تدریج نمایش داده می‌شود.',
  emptyHintSelection: 'کدی را در ویرایشگر انتخاب کنید و فرمان «پرسش درباره‌ی انتخاب» را اجرا کنید.',
  emptyHintKeys: 'Enter می‌فرستد، Shift+Enter سطر تازه می‌افزاید، Esc پاسخ را متوقف می‌کند.',
  noTokenTitle: 'ابتدا توکن دسترسی را تنظیم کنید',
  noTokenBody: 'تجارت برای RAG Core به توکن دسترسی شخصی شما نیاز دارد. توکن در فضای امن VS Code نگه‌داری می‌شود، نه در تنظیمات.',
  setToken: 'تنظیم توکن دسترسی',
  you: 'شما',
  assistant: 'تجارت',
  inputLabel: 'پرسش خود را بنویسید',
  inputPlaceholder: 'پرسش خود را بنویسید… (Enter برای ارسال، Shift+Enter برای سطر تازه)',
  send: 'ارسال',
  stop: 'توقف (Esc)',
  retry: 'تلاش دوباره',
  waiting: 'در انتظار RAG Core…',
  waitingSeconds: 'در انتظار RAG Core… {0} ثانیه',
  stopped: 'متوقف شد. پاسخ ناتمام است.',
  cutOff: 'اتصال قطع شد. پاسخ ناتمام ماند.',
  shortenedForStorage: 'برای نگه‌داری کوتاه شد: این پاسخ از اندازه‌ای که تاریخچه نگه می‌دارد بلندتر بود و پایانش نیامده است.',
  failed: 'پاسخ ناموفق بود.',
  sources: 'منابع ({0})',
  score: 'امتیاز {0}',
  page: 'صفحه‌ی {0}',
  model: 'مدل {0}',
  tokens: '{0} توکن',
  seconds: '{0} ثانیه',
  cached: 'از حافظه‌ی نهان',
  fallbackMode: 'حالت غیرجریانی',
  fallbackModeTitle: 'RAG Core هنوز جریانی پاسخ نمی‌دهد؛ این پاسخ یکجا رسید.',
  copy: 'رونوشت',
  copied: 'رونوشت شد',
  insertAtCursor: 'درج در محل مکان‌نما',
  insertAsDocument: 'درج در سند تازه',
  copyCode: 'رونوشت کد',
  insertCode: 'درج کد در محل مکان‌نما',
  codeLabel: 'کد: {0}',
  answerReady: 'پاسخ آماده است.',
  answerReadyWithSources: 'پاسخ آماده است، با {0} منبع.',
  answerStopped: 'پاسخ متوقف شد.',
  answerCutOff: 'پاسخ ناتمام ماند.',
  answerFailed: 'پاسخ ناموفق بود: {0}',
  image: 'تصویر: {0}',
  rawHtml: 'HTML به‌صورت متن نمایش داده شده',
  citationLabel: 'منبع {0}: {1}',
  citedTimes: '{0} بار ارجاع',
  citationBackLink: 'رفتن به ارجاع {0} در پاسخ',
  citationBackLinkText: '↑{0}',
};

const tables: Record<Locale, Record<StringKey, string>> = { en, fa };

export type Translate = (key: StringKey, ...args: (string | number)[]) => string;

export function translator(locale: Locale): Translate {
  const table = tables[locale] ?? en;
  const numbers = new Intl.NumberFormat(locale === 'fa' ? 'fa-IR' : 'en-US', { maximumFractionDigits: 2 });
  return (key, ...args) =>
    table[key].replace(/\{(\d)\}/g, (match, index: string) => {
      const value = args[Number(index)];
      if (value === undefined) return match;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
}

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'fa';
}
