// The context sent with a question asked where it arose: a problem with the code around it, or terminal output.
// Pure text building, no `vscode`: the limits and their visible truncation are unit tested on their own.
//
// The text is read by the core's model, not by the user (the panel shows it as sent), so it is not localized.
import type { SentContext } from '../shared/messages';

export const PROBLEM_LIMITS = {
  /** Lines of code shown before and after the problem's lines. */
  linesAround: 10,
  /** Lines of the problem itself, for a problem that spans more. */
  problemLines: 20,
  /** Characters of one code line; longer lines are cut. */
  lineChars: 300,
  /** Characters of all the code lines together; lines farthest from the problem go first. */
  codeChars: 5_000,
  messageChars: 1_000,
};

export const TERMINAL_LIMITS = {
  /** The last lines are kept: a command's failure is at the end of its output. */
  lines: 200,
  lineChars: 500,
  chars: 8_000,
};

export const SELECTION_LIMITS = {
  /** The first lines are kept: the start of a selection is what the user pointed at. */
  lines: 300,
  lineChars: 500,
  chars: 10_000,
};

const SUMMARY_CHARS = 120;

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface ProblemInput {
  message: string;
  severity: Severity;
  source?: string;
  code?: string;
  /** The name shown to the user: workspace-relative path or untitled name. */
  file: string;
  language: string;
  /** Zero-based, as in the editor API. */
  start: { line: number; character: number };
  end: { line: number; character: number };
  lineCount: number;
  lineAt(index: number): string;
}

export interface SelectionInput {
  file: string;
  language: string;
  /** Zero-based first line of the selection. */
  startLine: number;
  text: string;
}

export interface TerminalInput {
  /** The terminal's name, e.g. `bash`. */
  name: string;
  selection: string;
}

/** The query sent to the core: the question, then the context. */
export function queryWithContext(question: string, context: SentContext | undefined): string {
  return context ? `${question.trim()}\n\n${context.text}` : question.trim();
}

export function problemContext(problem: ProblemInput): SentContext {
  const limits = PROBLEM_LIMITS;
  const last = Math.max(0, problem.lineCount - 1);
  const startLine = clamp(problem.start.line, 0, last);
  const endLine = clamp(Math.max(problem.end.line, startLine), startLine, last);
  // A problem over many lines (a whole function, a file) shows its start: that is where the editor puts it too.
  const shownEnd = Math.min(endLine, startLine + limits.problemLines - 1);
  let from = Math.max(0, startLine - limits.linesAround);
  let to = endLine > shownEnd ? shownEnd : Math.min(last, endLine + limits.linesAround);

  const lines = new Map<number, { text: string; cut: boolean }>();
  for (let index = from; index <= to; index++) lines.set(index, cutLine(problem.lineAt(index), limits.lineChars));
  let cutLines = [...lines.values()].some((line) => line.cut);

  // Over the character budget: drop the line farthest from the problem, never the problem's first line.
  const size = () => [...lines.values()].reduce((sum, line) => sum + line.text.length + 1, 0);
  let droppedLines = false;
  while (size() > limits.codeChars && from < to) {
    const beforeDistance = startLine - from;
    const afterDistance = to - startLine;
    if (afterDistance >= beforeDistance) lines.delete(to--);
    else lines.delete(from++);
    droppedLines = true;
  }

  const marked = (index: number) => index >= startLine && index <= endLine;
  const width = String(to + 1).length;
  const body: string[] = [];
  for (let index = from; index <= to; index++) {
    const line = lines.get(index);
    if (!line) continue;
    body.push(`${marked(index) ? '>>' : '  '} ${String(index + 1).padStart(width)} | ${line.text}`);
    // A caret line under a one-line problem shows exactly where it is.
    if (index === startLine && startLine === endLine && !line.cut) {
      const startChar = clamp(problem.start.character, 0, line.text.length);
      const endChar = clamp(problem.end.character, startChar + 1, Math.max(startChar + 1, line.text.length));
      // Tabs stay tabs, so the carets line up with the code above them.
      const indent = line.text.slice(0, startChar).replace(/[^\t]/g, ' ');
      body.push(`   ${' '.repeat(width)} | ${indent}${'^'.repeat(endChar - startChar)}`);
    }
  }

  const message = cutText(problem.message.trim(), limits.messageChars);
  cutLines ||= message.cut;
  const origin = [problem.source, problem.code === undefined || problem.code === '' ? undefined : `code ${problem.code}`]
    .filter((part): part is string => part !== undefined && part !== '').join(', ');
  const position = `line ${startLine + 1}, column ${problem.start.character + 1}`;
  const notes = [
    `the problem's lines are marked with >>`,
    ...(endLine > shownEnd ? [`the problem spans lines ${startLine + 1}-${endLine + 1}; only its first ${limits.problemLines} are shown`] : []),
    ...(droppedLines ? [`shortened to ${limits.codeChars} characters`] : []),
    ...(cutLines ? [`text cut where marked with [cut]`] : []),
  ];
  const code = body.join('\n');
  const fence = fenceFor(code);
  const text = [
    `Problem (${problem.severity}${origin ? `, ${origin}` : ''}): ${message.text}`,
    `File: ${problem.file} (${problem.language}), ${position}`,
    `Code, lines ${from + 1}-${to + 1} (${notes.join('; ')}):`,
    `${fence}${problem.language}`,
    code,
    fence,
  ].join('\n');
  return {
    kind: 'problem',
    summary: firstLine(problem.message),
    location: `${baseName(problem.file)}:${startLine + 1}`,
    lines: lines.size,
    truncated: droppedLines || cutLines || endLine > shownEnd,
    text,
  };
}

/** An editor's selection, or undefined when it holds nothing but whitespace. */
export function selectionContext(input: SelectionInput): SentContext | undefined {
  const limits = SELECTION_LIMITS;
  if (input.text.trim() === '') return undefined;
  const all = input.text.replace(/\r\n?/g, '\n').split('\n');
  // A selection of whole lines ends at the start of the next one: that line is not part of it.
  if (all.length > 1 && all.at(-1) === '') all.pop();
  let cut = false;
  const kept: string[] = [];
  let size = 0;
  for (const line of all.slice(0, limits.lines)) {
    const result = cutLine(line, limits.lineChars);
    if (size + result.text.length + 1 > limits.chars && kept.length > 0) break;
    cut ||= result.cut;
    kept.push(result.text);
    size += result.text.length + 1;
  }
  const left = all.length - kept.length;
  const first = input.startLine + 1;
  const last = input.startLine + all.length;
  const notes = [
    ...(left > 0 ? [`only the first ${kept.length} of ${all.length} lines are sent`] : []),
    ...(cut ? ['long lines cut where marked with [cut]'] : []),
  ];
  const code = kept.join('\n');
  const fence = fenceFor(code);
  const text = [
    `File: ${input.file} (${input.language}), ${first === last ? `line ${first}` : `lines ${first}-${last}`}${notes.length ? ` (${notes.join('; ')})` : ''}`,
    `${fence}${input.language}`,
    code,
    ...(left > 0 ? [`[… ${left} more lines left out …]`] : []),
    fence,
  ].join('\n');
  return {
    kind: 'selection',
    summary: baseName(input.file),
    location: `${baseName(input.file)}:${first === last ? first : `${first}-${last}`}`,
    lines: kept.length,
    truncated: left > 0 || cut,
    text,
  };
}

/** Terminal output, or undefined when the selection holds nothing but whitespace. */
export function terminalContext(input: TerminalInput): SentContext | undefined {
  const limits = TERMINAL_LIMITS;
  let all = input.selection.replace(/\r\n?/g, '\n').split('\n').map((line) => line.trimEnd());
  while (all.length > 0 && all[0] === '') all.shift();
  while (all.length > 0 && all.at(-1) === '') all.pop();
  if (all.length === 0) return undefined;

  const total = all.length;
  all = all.slice(-limits.lines);
  let cut = false;
  let kept = all.map((line) => {
    const result = cutLine(line, limits.lineChars);
    cut ||= result.cut;
    return result.text;
  });
  let size = kept.reduce((sum, line) => sum + line.length + 1, 0);
  while (size > limits.chars && kept.length > 1) {
    size -= (kept[0]?.length ?? 0) + 1;
    kept = kept.slice(1);
  }
  const left = total - kept.length;
  const notes = [
    ...(left > 0 ? [`the first ${left} of ${total} lines are left out`] : []),
    ...(cut ? ['long lines cut where marked with [cut]'] : []),
  ];
  const output = kept.join('\n');
  const fence = fenceFor(output);
  const text = [
    `Terminal output selected in "${input.name}"${notes.length ? ` (${notes.join('; ')})` : ''}:`,
    `${fence}text`,
    ...(left > 0 ? [`[… ${left} earlier lines left out …]`] : []),
    output,
    fence,
  ].join('\n');
  return {
    kind: 'terminal',
    summary: firstLine(input.name) || 'terminal',
    lines: kept.length,
    truncated: left > 0 || cut,
    text,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function cutLine(line: string, max: number): { text: string; cut: boolean } {
  const clean = line.replace(/\r$/, '');
  return clean.length > max ? { text: `${clean.slice(0, max)} [cut: ${clean.length - max} more characters]`, cut: true } : { text: clean, cut: false };
}

function cutText(text: string, max: number): { text: string; cut: boolean } {
  return text.length > max ? { text: `${text.slice(0, max)} [cut: ${text.length - max} more characters]`, cut: true } : { text, cut: false };
}

/** A fence longer than any backtick run inside, so the text cannot close it. */
function fenceFor(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longestRun + 1));
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0]?.trim() ?? '';
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS - 1)}…` : line;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}
