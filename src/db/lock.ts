import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

// PGlite is single-process: two processes opening the same DATA_DIR would corrupt it. The server
// holds this lock file while it runs; a CLI command checks it and stops instead of opening the files.

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`the Riskdesk server (pid ${pid}) is running on ${dataDir}; stop it first, or use DATABASE_URL with PostgreSQL`);
  }
}

const lockPath = (dataDir: string) => join(dataDir, 'riskdesk.lock');

function holderOf(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(lockPath(dataDir), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

export function assertDataDirFree(dataDir: string): void {
  const pid = holderOf(dataDir);
  if (pid !== null) throw new DataDirLockedError(dataDir, pid);
}

/** Takes the lock for this process (a stale lock of a dead process is taken over); returns its release. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  assertDataDirFree(dataDir);
  rmSync(lockPath(dataDir), { force: true });
  const fd = openSync(lockPath(dataDir), 'wx');
  writeSync(fd, String(process.pid));
  closeSync(fd);
  return () => rmSync(lockPath(dataDir), { force: true });
}
