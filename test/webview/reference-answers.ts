// Answers full of references whose definitions come later (reference links, images, footnote-style citations,
// definitions in a quote or a list), for the tests of streamed versus whole rendering.
import fc from 'fast-check';

const labels = ['1', '2', 'docs', 'Docs  Page', '^1', '^note'];
const label = fc.constantFrom(...labels);
const use = fc.oneof(
  label.map((name) => `see [${name}]`),
  fc.tuple(fc.constantFrom('the guide', 'راهنما'), label).map(([text, name]) => `[${text}][${name}]`),
  label.map((name) => `[${name}][]`),
  label.map((name) => `![image ${name}][${name}]`),
);
const paragraph = fc.array(fc.oneof(use, fc.constantFrom('Plain words', 'React یک کتابخانه است', '**bold**', '`[1]` in code')), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(' '));
const block = fc.oneof(
  { weight: 4, arbitrary: paragraph },
  paragraph.map((text) => `> ${text}`),
  paragraph.map((text) => `- ${text}\n- second item`),
  paragraph.map((text) => `| A | B |\n|---|---|\n| ${text} | x |`),
  paragraph.map((text) => `## ${text}`),
);
const definition = fc.tuple(label, fc.constantFrom('https://example.com/a', '<https://example.com/b c>', 'https://example.com/c "Title"', 'https://example.com/d\n  (Long title)', 'A note in words', 'relative/path'),
  fc.constantFrom('', '> ', '- '))
  .map(([name, target, container]) => `${container}[${name}]: ${target}`);
export const referenceAnswer: fc.Arbitrary<string> = fc.tuple(fc.array(block, { minLength: 1, maxLength: 8 }), fc.array(definition, { maxLength: 5 }), fc.array(block, { maxLength: 2 }),
  fc.constantFrom('\n', '\n\n'))
  .map(([body, definitions, after, between]) => [...body, definitions.join(between), ...after].filter(Boolean).join('\n\n') + '\n');
