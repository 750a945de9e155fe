/**
 * Mining-pool protocols, newline-delimited JSON-RPC over TCP: stratum v1 as Bitcoin-family
 * miners speak it (`mining.subscribe`, `mining.authorize`, `mining.notify`,
 * `mining.submit`) and the Monero dialect of xmrig (`login`, `job`, `submit`,
 * `keepalived`). Every line is JSON.stringify output, so it parses.
 * @module
 */
import type { Rng } from '../prng.js';

function hex(r: Rng, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += (r.u32() & 0xff).toString(16).padStart(2, '0');
  return s;
}

function line(o: unknown): string {
  return JSON.stringify(o) + '\n';
}

/** A miner's conversation in one dialect; ids count up as a real client's do. */
export interface Dialect {
  /** Client's opening lines (subscribe + authorize, or login). */
  hello(r: Rng, agent: string, wallet: string, worker: string): string;
  /** Pool's answer to them, with the first job. */
  welcome(r: Rng, ts: number): string;
  /** Pool pushes a new job (and sometimes a difficulty). */
  job(r: Rng, ts: number): string;
  /** Client submits a share. */
  submit(r: Rng, worker: string, ts: number): string;
  /** Pool accepts it. */
  accepted(): string;
  /** Whether the client sends keep-alives when idle. */
  readonly hasKeepalive: boolean;
  /** Client keep-alive line. */
  keepalive(): string;
  /** Pool's answer to the last keep-alive. */
  keptAlive(): string;
}

export class StratumV1 implements Dialect {
  readonly hasKeepalive = false;
  #id = 1;
  #job = 0;
  #extranonce = '';

  hello(r: Rng, agent: string, wallet: string, worker: string): string {
    this.#extranonce = hex(r, 4);
    const sub = line({ id: this.#id++, method: 'mining.subscribe', params: [agent] });
    const auth = line({
      id: this.#id++,
      method: 'mining.authorize',
      params: [`${wallet}.${worker}`, 'x'],
    });
    return sub + auth;
  }

  welcome(r: Rng, ts: number): string {
    const sub = line({
      id: 1,
      result: [
        [
          ['mining.set_difficulty', hex(r, 8)],
          ['mining.notify', hex(r, 8)],
        ],
        this.#extranonce,
        4,
      ],
      error: null,
    });
    const auth = line({ id: 2, result: true, error: null });
    const diff = line({ id: null, method: 'mining.set_difficulty', params: [r.pick([8, 16, 32])] });
    return sub + auth + diff + this.job(r, ts);
  }

  job(r: Rng, ts: number): string {
    this.#job++;
    const branches: string[] = [];
    for (let i = 0; i < 4; i++) branches.push(hex(r, 32));
    return line({
      id: null,
      method: 'mining.notify',
      params: [
        this.#job.toString(16),
        hex(r, 32),
        `01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff${hex(r, 20)}`,
        `ffffffff01${hex(r, 30)}00000000`,
        branches,
        '20000000',
        '1703a30c',
        Math.floor(ts).toString(16),
        r.chance(0.2),
      ],
    });
  }

  submit(r: Rng, worker: string, ts: number): string {
    return line({
      params: [worker, this.#job.toString(16), hex(r, 4), Math.floor(ts).toString(16), hex(r, 4)],
      id: this.#id++,
      method: 'mining.submit',
    });
  }

  accepted(): string {
    return line({ id: this.#id - 1, result: true, error: null });
  }

  keepalive(): string {
    return '';
  }

  keptAlive(): string {
    return '';
  }
}

export class XmrigLogin implements Dialect {
  readonly hasKeepalive = true;
  #id = 1;
  #session = '';
  #job = '';

  hello(r: Rng, agent: string, wallet: string, worker: string): string {
    return line({
      id: this.#id++,
      jsonrpc: '2.0',
      method: 'login',
      params: {
        login: wallet,
        pass: worker,
        agent,
        algo: ['rx/0', 'cn/r', 'cn/2', 'cn/half', 'rx/wow', 'rx/arq'],
      },
    });
  }

  #jobBody(r: Rng): Record<string, unknown> {
    this.#job = hex(r, 12);
    return {
      blob: hex(r, 76),
      job_id: this.#job,
      target: r.pick(['b88d0600', 'e4a63d00', '9bc42000']),
      algo: 'rx/0',
      height: 3_100_000 + r.int(0, 99_999),
      seed_hash: hex(r, 32),
    };
  }

  welcome(r: Rng): string {
    this.#session = hex(r, 16);
    return line({
      id: 1,
      jsonrpc: '2.0',
      error: null,
      result: {
        id: this.#session,
        job: this.#jobBody(r),
        extensions: ['algo', 'nicehash', 'connect', 'tls', 'keepalive'],
        status: 'OK',
      },
    });
  }

  job(r: Rng): string {
    return line({ jsonrpc: '2.0', method: 'job', params: this.#jobBody(r) });
  }

  submit(r: Rng): string {
    return line({
      id: this.#id++,
      jsonrpc: '2.0',
      method: 'submit',
      params: { id: this.#session, job_id: this.#job, nonce: hex(r, 4), result: hex(r, 32) },
    });
  }

  accepted(): string {
    return line({ id: this.#id - 1, jsonrpc: '2.0', error: null, result: { status: 'OK' } });
  }

  keepalive(): string {
    return line({
      id: this.#id++,
      jsonrpc: '2.0',
      method: 'keepalived',
      params: { id: this.#session },
    });
  }

  keptAlive(): string {
    return line({
      id: this.#id - 1,
      jsonrpc: '2.0',
      error: null,
      result: { status: 'KEEPALIVED' },
    });
  }
}
