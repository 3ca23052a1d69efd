// Extractive retrieval over the product's own documentation (corpus/*.{en,fa}.md): minisearch indexes every
// paragraph once at startup; an answer is a short intro line plus the best 2–3 paragraphs, in the question's language.
// Everything here is deterministic: the same question always gives the same text, sources and scores.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MiniSearch from 'minisearch';

export type Language = 'fa' | 'en';

export interface RetrievedSource {
  title: string;
  /** Absent only under the `sources-without-url` scenario. */
  url?: string;
  snippet: string;
  /** minisearch's relevance, rounded to 2 decimals. */
  score: number;
  /** 1-based section of the document the passage comes from (the docs' notion of a page). */
  page: number;
}

export interface RetrievedAnswer {
  language: Language;
  /** Markdown: intro line, then the passages, each followed by its source's citation marker (`[1]`, `[۱]`). */
  text: string;
  /** Empty when nothing matched (then `text` is the polite "found nothing" answer). */
  sources: RetrievedSource[];
}

export interface Retriever {
  answer(query: string, requestedLanguage?: string): RetrievedAnswer;
}

interface Passage {
  id: number;
  language: Language;
  title: string;
  url: string;
  heading: string;
  section: number;
  text: string;
}

const DOCS_ORIGIN = 'https://docs.tejarat.chat';
const MAX_PASSAGES = 3;
/** A passage joins the answer only if it scores at least this share of the best one. */
const RELATIVE_SCORE_FLOOR = 0.35;
const SNIPPET_CODE_POINTS = 200;

const INTRO: Record<Language, string> = {
  en: 'Here is what the Tejarat Chat documentation says about this:',
  fa: 'بر پایهٔ مستندات تجارت چت، این بخش‌ها به پرسش شما مربوط‌اند:',
};
const NOTHING_FOUND: Record<Language, string> = {
  en:
    'Sorry, I found nothing about that in the Tejarat Chat documentation. Try rephrasing the question, ' +
    'or ask about streaming, the access token, proxies, keyboard shortcuts or checking the connection.',
  fa:
    'متأسفانه در مستندات تجارت چت چیزی دربارهٔ این موضوع پیدا نکردم. لطفاً پرسش را به شکل دیگری بنویسید، ' +
    'یا دربارهٔ استریم، توکن دسترسی، پروکسی، میان‌برهای صفحه‌کلید یا بررسی اتصال بپرسید.',
};
const GREETING: Record<Language, string> = {
  en:
    "Hello! I answer questions about Tejarat Chat from its documentation. Ask me, for example, how to set the " +
    'access token, how streaming works, or what to do when the connection fails.',
  fa:
    'سلام! من به پرسش‌های شما دربارهٔ تجارت چت از روی مستندات آن پاسخ می‌دهم. مثلاً بپرسید توکن دسترسی را چطور ' +
    'تنظیم کنم، استریم چگونه کار می‌کند یا وقتی اتصال برقرار نمی‌شود چه کنم.',
};
const GREETING_WORDS = new Set(['سلام', 'درود', 'hello', 'hi', 'hey']);

// Question words and glue that would otherwise match every paragraph.
const STOP_WORDS = new Set(
  (
    'a an the is are was be been to of in on for and or how what do does did i my me you your it its this that ' +
    'these those can could with about when why where which there get use from by as at if not no so we our will ' +
    'would should has have any tell please explain show want need there here one some ' +
    'و در به از که این آن با را برای است هست نیست چطور چگونه چه چی چیست چرا کجا کدام آیا اگر یا هم تا من ما ' +
    'شما او خود یک می نمی کنم کنیم کند کنند کرد شود شده بود باید دارد دارم ها های بر نیز درباره لطفا بگو بده ' +
    'توضیح'
  ).split(/\s+/),
);

/** Letters, digits and combining marks form words; ZWNJ stays inside Persian words like «می‌شود». */
function tokenize(text: string): string[] {
  return text.split(/[^\p{L}\p{N}\p{M}\u200C]+/u).filter((token) => token !== '');
}

/** Folds the spellings a Persian or English user may type into one form. */
function normalizeTerm(term: string): string | null {
  const folded = term
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u064B-\u065F\u0670\u0640\u200C\u200D]/g, '') // harakat, hamza above, tatweel, ZWNJ/ZWJ
    .replace(/ي/g, 'ی')
    .replace(/ى/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/[۰-۹]/g, (digit) => String(digit.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (digit) => String(digit.charCodeAt(0) - 0x0660));
  if (folded.length < 2 || STOP_WORDS.has(folded)) return null;
  return folded;
}

/** `language` from the request when it is Persian or English, else Persian for Arabic-script text, else English. */
export function detectLanguage(query: string, requested?: string): Language {
  const asked = requested?.trim().toLowerCase().slice(0, 2);
  if (asked === 'fa' || asked === 'en') return asked;
  return /\p{Script=Arabic}/u.test(query) ? 'fa' : 'en';
}

/** Splits a markdown document into paragraph passages; a fenced code block stays with the paragraph before it. */
function parseDocument(markdown: string, fileName: string): Passage[] {
  const match = /^(.+)\.(en|fa)\.md$/.exec(fileName);
  if (!match?.[1] || !match[2]) throw new Error(`Corpus file ${fileName} must be named <slug>.<en|fa>.md`);
  const slug = match[1];
  const language = match[2] as Language;
  const url = language === 'en' ? `${DOCS_ORIGIN}/${slug}` : `${DOCS_ORIGIN}/fa/${slug}`;

  let title = slug;
  let heading = '';
  let section = 0;
  const passages: Passage[] = [];
  let block: string[] = [];
  let inFence = false;
  const flush = (): void => {
    const text = block.join('\n').trim();
    block = [];
    if (text === '') return;
    const previous = passages.at(-1);
    if (text.startsWith('```') && previous && previous.section === section) {
      previous.text += `\n\n${text}`;
      return;
    }
    passages.push({ id: 0, language, title, url, heading: heading || title, section, text });
  };

  for (const line of markdown.split(/\r?\n/)) {
    if (line.startsWith('```')) {
      if (!inFence) flush();
      inFence = !inFence;
      block.push(line);
      if (!inFence) flush();
    } else if (inFence) {
      block.push(line);
    } else if (line.startsWith('# ')) {
      flush();
      title = line.slice(2).trim();
    } else if (line.startsWith('## ')) {
      flush();
      heading = line.slice(3).trim();
      section += 1;
    } else if (line.trim() === '') {
      flush();
    } else {
      block.push(line);
    }
  }
  flush();
  return passages;
}

/** A citation marker as the answer's language writes it: `[2]`, or `[۲]` with Persian digits. */
export function citationMarker(sourceNumber: number, language: Language): string {
  const digits = String(sourceNumber);
  return `[${language === 'fa' ? digits.replace(/\d/g, (digit) => String.fromCharCode(0x06f0 + Number(digit))) : digits}]`;
}

/**
 * The passage with its source's marker after its prose, as a model that cites writes it. A passage that ends in a
 * code block gets the marker before the block: after its closing fence the marker would reopen nothing but break it.
 */
function cite(text: string, sourceNumber: number, language: Language): string {
  const marker = citationMarker(sourceNumber, language);
  if (text.startsWith('```')) return `${text}\n\n${marker}`;
  const fence = text.indexOf('\n\n```');
  if (fence < 0) return `${text} ${marker}`;
  return `${text.slice(0, fence)} ${marker}${text.slice(fence)}`;
}

function roundScore(score: number): number {
  return Math.round(score * 100) / 100;
}

/** Plain text for a snippet: no markdown emphasis, code fences or backticks; at most SNIPPET_CODE_POINTS. */
function toSnippet(markdown: string): string {
  const plain = markdown
    .replace(/```[^\n]*\n?/g, '')
    .replace(/[*`]/g, '')
    .replace(/^- /gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  const codePoints = [...plain];
  return codePoints.length <= SNIPPET_CODE_POINTS ? plain : `${codePoints.slice(0, SNIPPET_CODE_POINTS).join('')}…`;
}

export const DEFAULT_CORPUS_DIR = join(__dirname, 'corpus');

/** Reads and indexes the corpus once; `answer` is then a pure, fast lookup. */
export function createRetriever(corpusDir: string = DEFAULT_CORPUS_DIR): Retriever {
  const passages = readdirSync(corpusDir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .flatMap((name) => parseDocument(readFileSync(join(corpusDir, name), 'utf8'), name))
    .map((passage, index) => ({ ...passage, id: index }));

  const index = new MiniSearch<Passage>({
    fields: ['title', 'heading', 'text'],
    storeFields: [],
    tokenize,
    processTerm: normalizeTerm,
    searchOptions: {
      boost: { title: 1.5, heading: 2 },
      prefix: (term) => term.length >= 4,
      fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
      combineWith: 'OR',
    },
  });
  index.addAll(passages);

  const search = (query: string, language?: Language) =>
    index.search(query, language ? { filter: (result) => passages[result.id as number]?.language === language } : {});

  return {
    answer(query, requestedLanguage) {
      const language = detectLanguage(query, requestedLanguage);
      const terms = tokenize(query).flatMap((token) => normalizeTerm(token) ?? []);
      if (terms.length > 0 && terms.every((term) => GREETING_WORDS.has(term))) {
        return { language, text: GREETING[language], sources: [] };
      }
      // Prefer the answer's language; a question that only matches the other language's docs still gets them.
      let results = search(query, language);
      if (results.length === 0) results = search(query);
      const best = results[0]?.score ?? 0;
      const chosen = results
        .filter((result) => result.score >= best * RELATIVE_SCORE_FLOOR)
        .slice(0, MAX_PASSAGES)
        .flatMap((result) => {
          const passage = passages[result.id as number];
          return passage ? [{ passage, score: result.score }] : [];
        });
      if (chosen.length === 0) return { language, text: NOTHING_FOUND[language], sources: [] };

      const parts = [INTRO[language]];
      let previousHeading = '';
      chosen.forEach(({ passage }, index) => {
        if (passage.heading !== previousHeading) parts.push(`### ${passage.heading}`);
        previousHeading = passage.heading;
        parts.push(cite(passage.text, index + 1, language));
      });
      return {
        language,
        text: parts.join('\n\n'),
        sources: chosen.map(({ passage, score }) => ({
          title: passage.title,
          url: passage.url,
          snippet: toSnippet(passage.text),
          score: roundScore(score),
          page: passage.section + 1,
        })),
      };
    },
  };
}
