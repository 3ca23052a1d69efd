// Shared by scripts/test.mjs and scripts/bench.mjs: run a command with its output passed through,
// and return what it printed so the caller can read the counts. Node built-ins only: this runs
// before `npm ci` on a fresh clone.
import { spawn } from 'node:child_process';

/** Runs `command args…` in the repo root; resolves with its exit code and its printed text (ANSI stripped). */
export function run(command, args, { env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', ...env },
    });
    let output = '';
    const keep = (stream, sink) =>
      stream.on('data', (data) => {
        sink.write(data);
        output += data.toString('utf8');
      });
    keep(child.stdout, process.stdout);
    keep(child.stderr, process.stderr);
    child.on('error', (error) => resolve({ code: 127, output: String(error) }));
    child.on('close', (code, signal) =>
      // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
      resolve({ code: code ?? (signal ? 128 : 1), output: output.replace(/\u001b\[[0-9;]*m/g, '') }),
    );
  });
}

export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
