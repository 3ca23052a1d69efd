// The folder of conversation files: `<id>.json` each, written atomically (a temporary file in the same folder, then
// rename over the old one, so a crash leaves the old file or the new one, never half of one), and set aside instead
// of deleted when it cannot be read.
//
// node:fs rather than vscode.workspace.fs: the folder is always a local path of the extension host (storageUri and
// globalStorageUri are file: URIs wherever this Node extension runs), node:fs offers what atomicity needs (a rename
// that replaces in one step, an fsync before it, a link that refuses to overwrite), and it keeps this module free of
// `vscode`, so the same code runs in plain Node tests and benchmarks.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { isSafeId } from './format';

const TEMP_MARK = '.tmp-';
/** With the process id, names a temporary file no other write uses ('wx' would refuse a clash rather than share it). */
let tempCounter = 0;
/** A temporary file this old was left by a crash, not by a write in progress in another window. */
const STALE_TEMP_MS = 10 * 60_000;

function code(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
}

export class ConversationFolder {
  private created = false;

  constructor(readonly path: string) {}

  fileOf(id: string): string {
    return join(this.path, `${id}.json`);
  }

  /** The ids of the conversation files present; set-aside and temporary files are not among them. */
  async ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.path);
    } catch (error) {
      if (code(error) === 'ENOENT') return [];
      throw error;
    }
    const now = Date.now();
    const ids: string[] = [];
    for (const name of names) {
      if (name.includes(TEMP_MARK)) {
        await this.removeStaleTemp(join(this.path, name), now);
        continue;
      }
      if (!name.endsWith('.json')) continue;
      const id = name.slice(0, -'.json'.length);
      if (isSafeId(id)) ids.push(id);
    }
    return ids;
  }

  /** The file's text, or undefined when there is none. Throws `TooLarge` for a file over `maxBytes`. */
  async read(id: string, maxBytes: number): Promise<string | undefined> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.fileOf(id), 'r');
    } catch (error) {
      if (code(error) === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      if (size > maxBytes) throw new TooLarge(size);
      return await handle.readFile({ encoding: 'utf8' });
    } finally {
      await handle.close();
    }
  }

  /** Replaces the file in one step. `durable` waits for the disk, so a power cut keeps the new text too. */
  async write(id: string, text: string, durable: boolean): Promise<void> {
    if (!this.created) {
      await fs.mkdir(this.path, { recursive: true });
      this.created = true;
    }
    const target = this.fileOf(id);
    const temp = `${target}${TEMP_MARK}${process.pid}-${Date.now().toString(36)}-${(tempCounter++).toString(36)}`;
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      if (durable) await handle.datasync();
    } catch (error) {
      await handle.close();
      await fs.rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async remove(id: string): Promise<void> {
    await fs.rm(this.fileOf(id), { force: true });
  }

  /**
   * Moves `<id>.json` to `<id>.<label>.json` (or `<id>.<label>-2.json`, …), never over an existing file, so what could
   * not be read stays for the user or a newer version. Returns the new path, or undefined if the file is gone.
   */
  async setAside(id: string, label: string): Promise<string | undefined> {
    const source = this.fileOf(id);
    for (let attempt = 1; attempt < 100; attempt++) {
      const target = join(this.path, `${id}.${label}${attempt === 1 ? '' : `-${attempt}`}.json`);
      try {
        // link() fails when the target exists, where rename() would replace it.
        await fs.link(source, target);
        await fs.rm(source, { force: true });
        return target;
      } catch (error) {
        if (code(error) === 'EEXIST') continue;
        if (code(error) === 'ENOENT') return undefined;
        if (code(error) !== 'EPERM' && code(error) !== 'ENOTSUP' && code(error) !== 'EXDEV') throw error;
        // A file system without hard links: check, then rename.
        const taken = await fs.stat(target).then(() => true, () => false);
        if (taken) continue;
        await fs.rename(source, target);
        return target;
      }
    }
    throw new Error(`no free name to set ${source} aside`);
  }

  private async removeStaleTemp(path: string, now: number): Promise<void> {
    try {
      const { mtimeMs } = await fs.stat(path);
      if (now - mtimeMs > STALE_TEMP_MS) await fs.rm(path, { force: true });
    } catch {
      // Renamed or removed meanwhile by the write that made it.
    }
  }
}

export class TooLarge extends Error {
  constructor(readonly size: number) {
    super(`the file is ${size} bytes, more than a conversation may hold`);
  }
}
