/**
 * The TensorFlow.js backend, chosen once per process and loaded lazily (a replay without a
 * model, or one scoring with the plain forward pass, never imports TensorFlow.js: ~0.4 s).
 *
 * Order (issue "The model"): `@tensorflow/tfjs-node` when it loads (an optional dependency: its
 * install downloads libtensorflow, so it is missing on machines without internet), else
 * tfjs-core on the WebAssembly backend (its .wasm binaries ship inside the npm package; SIMD,
 * single-threaded: pthread workers do not start in Node), else the pure-JS cpu backend.
 * `HOMEWATCH_BACKEND=tensorflow|wasm|cpu` (or the `prefer` argument) forces one; a forced
 * backend that cannot load is an error, not a silent fallback.
 *
 * Library code never prints: the chosen backend comes back as a line for the CLI to log.
 * @module
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HomewatchError } from '../util/errors.js';

export type TfCore = typeof import('@tensorflow/tfjs-core');
export type TfLayers = typeof import('@tensorflow/tfjs-layers');

export const TF_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type TfBackendName = (typeof TF_BACKENDS)[number];

export interface Tf {
  core: TfCore;
  layers: TfLayers;
  backend: TfBackendName;
  /** One line for a person: 'TensorFlow.js 4.22.0 on wasm (SIMD)'. */
  line: string;
  /** Why the backends before it were not used ('' when the first one loaded). */
  fallback: string;
}

const require = createRequire(import.meta.url);

/** The last successful load and what it was asked for. */
let current: { prefer: TfBackendName | 'auto'; tf: Promise<Tf> } | null = null;

export function isTfBackend(s: string): s is TfBackendName {
  return (TF_BACKENDS as readonly string[]).includes(s);
}

/** The backend asked for by HOMEWATCH_BACKEND ('auto' when unset; 'js' is not a tf backend). */
export function requestedBackend(): TfBackendName | 'auto' {
  const v = process.env.HOMEWATCH_BACKEND;
  return v !== undefined && isTfBackend(v) ? v : 'auto';
}

/**
 * TensorFlow.js on the best backend that loads (or the one asked for). Asking again for the
 * same returns the same; asking for another switches the engine (tfjs keeps one per process).
 * A failed load is not remembered.
 */
export async function loadTf(prefer: TfBackendName | 'auto' = requestedBackend()): Promise<Tf> {
  if (current !== null && current.prefer === prefer) {
    const tf = await current.tf;
    // Another caller may have switched the engine since: switch it back.
    if (tf.core.getBackend() !== tf.backend) await tf.core.setBackend(tf.backend);
    return tf;
  }
  const attempt = init(prefer);
  current = { prefer, tf: attempt };
  try {
    return await attempt;
  } catch (err) {
    if (current?.tf === attempt) current = null;
    throw err;
  }
}

async function init(prefer: TfBackendName | 'auto'): Promise<Tf> {
  const order: TfBackendName[] = prefer === 'auto' ? [...TF_BACKENDS] : [prefer];
  const skipped: string[] = [];
  for (const name of order) {
    try {
      const tf = await LOADERS[name]();
      return { ...tf, fallback: skipped.join('; ') };
    } catch (err) {
      const why = reason(err);
      if (prefer !== 'auto')
        throw new HomewatchError('ERR_MODEL', `backend ${name} does not load here: ${why}`);
      skipped.push(`${name}: ${why}`);
    }
  }
  throw new HomewatchError('ERR_MODEL', `no TensorFlow.js backend loads (${skipped.join('; ')})`);
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'MODULE_NOT_FOUND' || e?.code === 'ERR_MODULE_NOT_FOUND') return 'not installed';
  return (e?.message ?? String(err)).split('\n')[0];
}

/** tfjs-core with layers, in production mode (no debug checks, no console warnings). */
async function coreAndLayers(): Promise<{ core: TfCore; layers: TfLayers }> {
  const core = await import('@tensorflow/tfjs-core');
  const layers = await import('@tensorflow/tfjs-layers');
  core.enableProdMode();
  return { core, layers };
}

type Loader = () => Promise<Omit<Tf, 'fallback'>>;

const LOADERS: Record<TfBackendName, Loader> = {
  async tensorflow() {
    // tfjs-node registers the 'tensorflow' backend on the shared tfjs-core engine.
    await import('@tensorflow/tfjs-node' as string);
    const { core, layers } = await coreAndLayers();
    if (!(await core.setBackend('tensorflow'))) throw new Error('the backend did not initialise');
    return { core, layers, backend: 'tensorflow', line: line(core, 'tensorflow (libtensorflow)') };
  },
  async wasm() {
    const { core, layers } = await coreAndLayers();
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    core.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
    wasm.setWasmPaths(`${join(dirname(pkg), 'dist')}/`);
    if (!(await core.setBackend('wasm'))) throw new Error('the backend did not initialise');
    const simd = core.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
    return { core, layers, backend: 'wasm', line: line(core, `wasm (${simd}, one thread)`) };
  },
  async cpu() {
    const { core, layers } = await coreAndLayers();
    await import('@tensorflow/tfjs-backend-cpu');
    if (!(await core.setBackend('cpu'))) throw new Error('the backend did not initialise');
    return { core, layers, backend: 'cpu', line: line(core, 'cpu (pure JavaScript)') };
  },
};

function line(core: TfCore, what: string): string {
  return `TensorFlow.js ${core.version_core} on ${what}`;
}
