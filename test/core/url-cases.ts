// One table of addresses and the verdict of the one URL policy: the normalized address when it may be a live link
// (and opened by the host), undefined when it is shown as text. The client's normalizer, the host's openLink and
// the panel's links and sources are all tested against it. None needs escaping inside `<…>` in markdown.
export const urlCases: readonly (readonly [address: string, verdict: string | undefined])[] = [
  ['https://example.com/a', 'https://example.com/a'],
  ['http://intranet.example:8080/p?q=1#x', 'http://intranet.example:8080/p?q=1#x'],
  ['HTTPS://Docs.Example.COM/Path', 'https://docs.example.com/Path'],
  ['https://example.com/a b', 'https://example.com/a%20b'],
  [' https://example.com/padded ', 'https://example.com/padded'],
  ['https://فارسی.example/راهنما', 'https://xn--mgbug7c06b.example/%D8%B1%D8%A7%D9%87%D9%86%D9%85%D8%A7'],
  ['mailto:someone@example.com', undefined],
  ['MAILTO:someone@example.com?subject=hi', undefined],
  ['javascript:alert(1)', undefined],
  ['JaVaScRiPt:alert(1)', undefined],
  [' javascript:alert(1)', undefined],
  ['data:text/html,x', undefined],
  ['vbscript:x', undefined],
  ['file:///etc/passwd', undefined],
  ['command:workbench.action.quit', undefined],
  ['vscode://file/etc/passwd', undefined],
  ['ftp://example.com/x', undefined],
  ['tel:+98211234567', undefined],
  ['/relative/path', undefined],
  ['//evil.example/x', undefined],
  ['https://', undefined],
  ['example.com', undefined],
];
