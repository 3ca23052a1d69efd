// Export of a conversation as Markdown: questions, answers, sources with links, details, unfinished answers, and
// text from the core that cannot break the document's structure; plus the checks of the search messages.
import assert from 'node:assert/strict';
import type { Conversation } from '../../src/chat/conversationStore';
import { conversationMarkdown, ENGLISH_LABELS, exportFileName } from '../../src/search/exportMarkdown';
import { isWebviewMessage, readHostMessage } from '../../src/shared/messages';

const conversation: Conversation = {
  id: 'c1',
  title: 'How do I set the *token*?',
  createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  updatedAt: Date.UTC(2026, 0, 2, 3, 5, 0),
  turns: [
    {
      id: 't1',
      question: 'How do I set the token?\n\n```ts\nconst x = 1;\n```',
      answer: 'Run **Set Access Token**.\n',
      status: 'done',
      sources: [
        { title: 'Guide [v2]', url: 'https://docs.example/a b', snippet: 'Tokens live in\nsecret storage.', score: 0.912, page: 3 },
        { title: 'Notes without a link' },
      ],
      metadata: { model: 'gpt-4', tokens: 1500, processingTimeMs: 2340, cached: true },
    },
    {
      id: 't2',
      question: 'و به فارسی؟',
      answer: 'این کد:\n```py\nprint(1)',
      status: 'cut-off',
      sources: [],
    },
  ],
};

describe('export: conversation as Markdown', () => {
  const markdown = conversationMarkdown(conversation, ENGLISH_LABELS);

  it('has the title, each question quoted, each answer as written, sources with links, and the details', () => {
    assert.equal(markdown, [
      '# How do I set the \\*token\\*?',
      '',
      '*2026-01-02 03:04:05 UTC*',
      '',
      '## Question 1',
      '',
      '> How do I set the token?',
      '>',
      '> ```ts',
      '> const x = 1;',
      '> ```',
      '',
      '### Answer',
      '',
      'Run **Set Access Token**.',
      '',
      '### Sources',
      '',
      '1. [Guide \\[v2\\]](<https://docs.example/a%20b>) (p. 3, 0.91)',
      '   Tokens live in secret storage.',
      '2. Notes without a link',
      '',
      '*Details:* Model: gpt-4 · Tokens: 1500 · 2.3 s · Cached: yes',
      '',
      '## Question 2',
      '',
      '> و به فارسی؟',
      '',
      '### Answer',
      '',
      'این کد:',
      '```py',
      'print(1)',
      '```',
      '',
      '> *The connection broke before the answer was complete.*',
      '',
    ].join('\n'));
  });

  it('uses the labels it is given (Persian digits and words)', () => {
    const persian = conversationMarkdown(conversation, {
      ...ENGLISH_LABELS,
      question: (n) => `پرسش ${n.toLocaleString('fa-IR')}`,
      answer: 'پاسخ',
      number: (value) => value.toLocaleString('fa-IR'),
    });
    assert.match(persian, /^## پرسش ۲$/m);
    assert.match(persian, /^### پاسخ$/m);
    assert.match(persian, /Tokens: ۱٬۵۰۰/);
  });

  it('makes a file name from the title', () => {
    assert.equal(exportFileName('a/b: c?'), 'a b c.md');
    assert.equal(exportFileName('  '), 'conversation.md');
    assert.equal(exportFileName('تنظیم توکن'), 'تنظیم توکن.md');
  });
});

describe('search messages: checked both ways', () => {
  it('the panel receives search results with every field checked, bad marks dropped', () => {
    const received = readHostMessage({
      type: 'searchResults', requestId: 3, query: 'x', more: 'yes',
      hits: [
        { conversationId: 'c', turnId: 't', snippet: 'abcdef', marks: [[0, 2], [1, 3], [4, 99], [4, 5], 'bad'], turnIndex: -1, field: 'weird', title: 7, extra: {} },
        { conversationId: 'c', snippet: 'no turn id' },
      ],
    });
    assert.deepEqual(received, {
      type: 'searchResults', requestId: 3, query: 'x', more: false,
      hits: [{ conversationId: 'c', turnId: 't', snippet: 'abcdef', marks: [[0, 2], [4, 5]], title: '', updatedAt: 0, turnIndex: 0, field: 'answer' }],
    });
    assert.equal(readHostMessage({ type: 'searchResults', query: 'x', hits: [] }), undefined, 'no request id');
    assert.deepEqual(readHostMessage({ type: 'revealTurn', turnId: 't', query: 5 }), { type: 'revealTurn', turnId: 't', query: '' });
    assert.equal(readHostMessage({ type: 'revealTurn' }), undefined);
  });

  it('the host accepts only well-formed search requests', () => {
    assert.equal(isWebviewMessage({ type: 'search', requestId: 1, query: 'proxy' }), true);
    assert.equal(isWebviewMessage({ type: 'search', requestId: '1', query: 'proxy' }), false);
    assert.equal(isWebviewMessage({ type: 'search', requestId: 1, query: 'x'.repeat(1_001) }), false);
    assert.equal(isWebviewMessage({ type: 'openSearchResult', conversationId: 'c', turnId: 't', query: 'q' }), true);
    assert.equal(isWebviewMessage({ type: 'openSearchResult', conversationId: 'c', query: 'q' }), false);
  });
});
