/**
 * The journal as a file (Node): JSON lines, each appended with one synchronous write, so a line is
 * in the file before its user is counted and survives `kill -9`. A line cut off by a crash of the
 * machine (no newline at the end) is dropped when the journal is opened again.
 */
import {
  closeSync,
  createReadStream,
  existsSync,
  ftruncateSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { createInterface } from 'node:readline';
import type { MigrationJournal } from '../types.js';

/** The length of `path` up to its last newline (what holds only whole lines). */
function wholeLength(path: string): number {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - chunk.length);
      const read = readSync(fd, chunk, 0, end - start, start);
      const at = chunk.subarray(0, read).lastIndexOf(10);
      if (at >= 0) return start + at + 1;
      end = start;
    }
    return 0;
  } finally {
    closeSync(fd);
  }
}

export function fileJournal(path: string): MigrationJournal & { close(): void } {
  let fd: number | undefined;
  let length: number | undefined;
  return {
    async *lines() {
      if (!existsSync(path)) return;
      length = wholeLength(path);
      if (length === 0) return;
      yield* createInterface({
        input: createReadStream(path, { end: length - 1 }),
        crlfDelay: Number.POSITIVE_INFINITY,
      });
    },
    append(line) {
      if (fd === undefined) {
        fd = openSync(path, existsSync(path) ? 'r+' : 'w');
        // Drop a torn last line, then write after the whole ones.
        length ??= existsSync(path) ? wholeLength(path) : 0;
        ftruncateSync(fd, length);
      }
      const bytes = Buffer.from(`${line}\n`);
      writeSync(fd, bytes, 0, bytes.length, length);
      length = (length ?? 0) + bytes.length;
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
