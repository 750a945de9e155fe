/**
 * Least privilege for the capture agent: libpcap needs root (or CAP_NET_RAW + CAP_NET_ADMIN)
 * only to open the capture handle. Once it is open, a process started as root gives up root for
 * an unprivileged user (`--user`, default `nobody`): supplementary groups first, then the group,
 * then the user (the order matters: after setuid() the others are no longer allowed).
 *
 * Paths the agent must still write afterwards (the state directory) are chown'ed to that user
 * before the switch.
 * @module
 */

import { chownSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { HomewatchError } from '../util/errors.js';

export const DEFAULT_USER = 'nobody';

/** A user as /etc/passwd names it. */
export interface UserIds {
  name: string;
  uid: number;
  gid: number;
}

/** What dropPrivileges() did, for a log line. */
export interface DropResult {
  dropped: boolean;
  /** Why not, when not dropped (not root, or not allowed). */
  reason?: string;
  user?: UserIds;
}

/** Looks a user up by name or numeric id in a passwd file (no libc binding in Node). */
export function lookupUser(nameOrId: string, passwdPath = '/etc/passwd'): UserIds {
  let text = '';
  try {
    text = readFileSync(passwdPath, 'utf8');
  } catch {
    /* fall through: numeric ids still work */
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 4) continue;
    if (f[0] === nameOrId || f[2] === nameOrId) {
      return { name: f[0], uid: Number(f[2]), gid: Number(f[3]) };
    }
  }
  if (/^\d+$/.test(nameOrId))
    return { name: nameOrId, uid: Number(nameOrId), gid: Number(nameOrId) };
  throw new HomewatchError('ERR_USAGE', `--user ${nameOrId}: no such user in ${passwdPath}`);
}

/**
 * When running as root, switches to `user` for good, after chown'ing `writable` paths (and the
 * files directly inside them) to it. Not root: nothing to do. When root may not switch (a
 * container started with only NET_RAW and NET_ADMIN has no CAP_SETUID/CAP_SETGID, and is already
 * confined to those two capabilities), returns dropped: false with the reason, for a warning.
 */
export function dropPrivileges(user: string, writable: readonly string[] = []): DropResult {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { dropped: false, reason: 'not running as root' };
  }
  const ids = lookupUser(user);
  if (ids.uid === 0) return { dropped: false, reason: `--user ${user} is root`, user: ids };
  try {
    for (const dir of writable) chownTree(dir, ids);
    process.setgroups?.([ids.gid]);
    process.setgid?.(ids.gid);
    process.setuid?.(ids.uid);
  } catch (err) {
    return {
      dropped: false,
      reason: `cannot switch to user ${user} (${(err as Error).message}); grant CAP_SETUID and CAP_SETGID, or start as that user with only CAP_NET_RAW and CAP_NET_ADMIN`,
      user: ids,
    };
  }
  if (process.getuid() !== ids.uid) {
    throw new HomewatchError('ERR_CAPTURE_PERMISSION', `still root after setuid(${ids.uid})`);
  }
  return { dropped: true, user: ids };
}

/** chown of a directory and the files directly in it (the state dir is flat). */
function chownTree(dir: string, ids: UserIds): void {
  chownSync(dir, ids.uid, ids.gid);
  for (const name of readdirSync(dir)) chownSync(join(dir, name), ids.uid, ids.gid);
}

/**
 * Waits until this process holds `path` open (the JSON-lines sink opens its file
 * asynchronously): the open must happen before root is dropped, or an output file in a
 * directory only root may write would fail later. Linux: watches /proc/self/fd; elsewhere (or
 * after `timeoutMs`) returns anyway.
 */
export async function waitForOutputOpen(path: string, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    let target: string;
    try {
      target = realpathSync(path);
    } catch {
      target = '';
    }
    if (target !== '' && holdsOpen(target)) return;
    await new Promise((r) => setTimeout(r, 2));
  }
}

function holdsOpen(target: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return true; // no /proc: nothing to watch
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === target) return true;
    } catch {
      /* closed meanwhile */
    }
  }
  return false;
}
