/**
 * The clear-text start of an SSH-2 connection (RFC 4253 §4.2, §6, §7; RFC 5656 §4;
 * RFC 8709 ed25519): identification strings, KEXINIT, ECDH init and reply, NEWKEYS. What
 * follows is encrypted (opaque packets). A brute-forcer's short sessions are these, then
 * a few encrypted packets (the password attempts), then a close.
 * @module
 */
import type { Rng } from '../prng.js';

const MSG_KEXINIT = 20;
const MSG_NEWKEYS = 21;
const MSG_KEX_ECDH_INIT = 30;
const MSG_KEX_ECDH_REPLY = 31;

function str(s: string | Buffer): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** Binary packet: length, padding length, payload, 4–… bytes of padding to a multiple of 8. */
function packet(payload: Buffer, r: Rng): Buffer {
  let pad = 8 - ((payload.length + 5) % 8);
  if (pad < 4) pad += 8;
  const b = Buffer.alloc(5 + payload.length + pad);
  b.writeUInt32BE(1 + payload.length + pad, 0);
  b[4] = pad;
  payload.copy(b, 5);
  r.fill(b, 5 + payload.length, pad);
  return b;
}

function random(r: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  r.fill(b, 0, n);
  return b;
}

export function sshBanner(software: string): string {
  return `SSH-2.0-${software}\r\n`;
}

export function sshKexinit(r: Rng, server: boolean): Buffer {
  const lists = [
    'curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha256',
    server ? 'ssh-ed25519,rsa-sha2-512,rsa-sha2-256' : 'ssh-ed25519,rsa-sha2-256,ssh-rsa',
    'chacha20-poly1305@openssh.com,aes128-ctr,aes256-ctr,aes128-gcm@openssh.com',
    'chacha20-poly1305@openssh.com,aes128-ctr,aes256-ctr,aes128-gcm@openssh.com',
    'hmac-sha2-256,hmac-sha1',
    'hmac-sha2-256,hmac-sha1',
    'none',
    'none',
    '',
    '',
  ];
  const payload = Buffer.concat([
    Buffer.from([MSG_KEXINIT]),
    random(r, 16),
    ...lists.map((l) => str(l)),
    Buffer.from([0, 0, 0, 0, 0]), // first_kex_packet_follows, reserved
  ]);
  return packet(payload, r);
}

export function sshEcdhInit(r: Rng): Buffer {
  return packet(Buffer.concat([Buffer.from([MSG_KEX_ECDH_INIT]), str(random(r, 32))]), r);
}

/** ECDH reply (host key, server's ephemeral key, signature), then NEWKEYS. */
export function sshEcdhReplyNewkeys(r: Rng): Buffer {
  const hostKey = Buffer.concat([str('ssh-ed25519'), str(random(r, 32))]);
  const sig = Buffer.concat([str('ssh-ed25519'), str(random(r, 64))]);
  const reply = packet(
    Buffer.concat([Buffer.from([MSG_KEX_ECDH_REPLY]), str(hostKey), str(random(r, 32)), str(sig)]),
    r,
  );
  return Buffer.concat([reply, sshNewkeys(r)]);
}

export function sshNewkeys(r: Rng): Buffer {
  return packet(Buffer.from([MSG_NEWKEYS]), r);
}
