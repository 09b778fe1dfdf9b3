import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeskFile } from './schemas.js';

/** A file as the desk is handed it: a comment's attachment with its bytes. */
export interface NewDeskFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

/**
 * The desk's files, in its data directory (LOCAL_FILES_DIR), one file per content hash: the store
 * holds only names and hashes, and the agent can open a file where it lies. Written under a
 * temporary name and renamed, so a reader never sees half a file.
 */
export class DeskFiles {
  constructor(readonly dir: string) {}

  async save(file: NewDeskFile): Promise<DeskFile> {
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `.${sha256}.${process.pid}.tmp`);
    await writeFile(temp, file.bytes);
    await rename(temp, this.pathOf(sha256));
    return { name: file.name, contentType: file.contentType, size: file.bytes.length, sha256 };
  }

  read(file: Pick<DeskFile, 'sha256'>): Promise<Buffer> {
    return readFile(this.pathOf(file.sha256));
  }

  pathOf(sha256: string): string {
    return join(this.dir, sha256);
  }
}
