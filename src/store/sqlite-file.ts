import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The store's file was deleted or replaced while open: every later write would be lost. */
export class StoreFileLost extends Error {
  constructor(readonly path: string, what: 'deleted' | 'replaced') {
    super(`the store file ${path} was ${what} while the bot ran; stopping so nothing more is written into a file nobody will read`);
    this.name = 'StoreFileLost';
  }
}

/** Owner-only: the store holds ticket text and people's names. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Makes the folder (0700) and the database file (0600) before SQLite opens it, and narrows the
 * files an older version left readable to others (SQLite gives the -wal and -shm files the main
 * file's mode, so fixing the main file first is enough for new ones).
 */
export function prepareDatabaseFile(path: string): void {
  const folder = dirname(path);
  if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: DIR_MODE });
  if (!existsSync(path)) closeSync(openSync(path, 'a', FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat && (stat.mode & 0o077) !== 0) chmodSync(file, FILE_MODE);
  }
}

/**
 * Notices that the file SQLite has open is no longer the one at `path` (deleted, or another file
 * moved over it). SQLite keeps writing into the unlinked inode and says nothing, so each write
 * checks device and inode first: one stat, a few microseconds. Once lost, it stays lost.
 */
export class FileGuard {
  private readonly dev: number;
  private readonly ino: number;
  private lost: StoreFileLost | undefined;

  constructor(
    readonly path: string,
    private readonly onLost: (error: StoreFileLost) => void,
  ) {
    const stat = statSync(path);
    this.dev = stat.dev;
    this.ino = stat.ino;
  }

  /** Throws StoreFileLost when the file is gone or replaced; tells `onLost` the first time. */
  check(): void {
    if (this.lost) throw this.lost;
    const stat = statSync(this.path, { throwIfNoEntry: false });
    if (stat && stat.dev === this.dev && stat.ino === this.ino) return;
    this.lost = new StoreFileLost(this.path, stat ? 'replaced' : 'deleted');
    this.onLost(this.lost);
    throw this.lost;
  }
}
