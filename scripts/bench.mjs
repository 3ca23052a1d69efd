// `npm run bench [-- NAME…]`: runs every test/bench/*.bench.ts (or those whose name contains NAME), one after
// another so they do not compete for the machine, then prints every BENCH-RESULT line together. The slow ones
// in OPT_IN run only when named.
import { readdirSync } from 'node:fs';
import { run, npm } from './run-steps.mjs';

const OPT_IN = new Set(['fallback-90s.bench.ts']);
const filters = process.argv.slice(2);
const files = readdirSync('test/bench')
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => (filters.length === 0 ? !OPT_IN.has(file) : filters.some((filter) => file.includes(filter))))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark matches ${filters.join(' ')}`);
  process.exit(2);
}

const build = await run(npm, ['run', 'build']);
if (build.code !== 0) process.exit(build.code);

const results = [];
let failures = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const { code, output } = await run('npx', ['tsx', `test/bench/${file}`]);
  if (code !== 0) failures += 1;
  for (const match of output.matchAll(/^BENCH-RESULT (.*)$/gm)) results.push(`${file}: ${match[1]}`);
}
console.log('\n=== results ===');
for (const line of results) console.log(line);
process.exitCode = failures === 0 ? 0 : 1;
