/**
 * The network: one TensorFlow.js layers model with two independent branches, saved together.
 *
 *   ae_input  [z, normal, kind] ─ ae_enc (tanh) ─ ae_code (tanh) ─ ae_dec (tanh) ─ ae_out   → z
 *   head_input [z, level, kind] ─ head_hidden (relu) ─ head_out (sigmoid)                   → P(behaviour)
 *
 * The autoencoder reconstructs the window's features relative to the device's normal (z); it
 * is told what the device's normal is (its baseline medians) and its kind, never the window's
 * own raw levels (from which z could be copied). The head sees z and the raw levels: a UPnP
 * port mapping is a behaviour on any device. The branches share no layer, so each is trained
 * on its own rows (src/model/train/fit.ts) and both run as plain dense chains (forward.ts).
 * @module
 */
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { io } from '@tensorflow/tfjs-core';
import type { TfLayers } from './backend.js';
import { ACTIVATIONS, type Activation, DenseChain, type DenseLayer } from './forward.js';
import type { NamedWeight } from './io.js';

export interface NetworkShape {
  aeInputs: number;
  /** Features reconstructed (the first `aeOutputs` of the autoencoder's input). */
  aeOutputs: number;
  aeHidden: number;
  aeCode: number;
  headInputs: number;
  headHidden: number;
  behaviours: number;
}

export const DEFAULT_SIZES = { aeHidden: 32, aeCode: 10, headHidden: 32 } as const;

/** The layer names of each branch, input first: the plain engine follows them. */
export const BRANCHES = {
  ae: { input: 'ae_input', layers: ['ae_enc', 'ae_code', 'ae_dec', 'ae_out'] },
  head: { input: 'head_input', layers: ['head_hidden', 'head_out'] },
} as const;

export interface Network {
  /** Both branches, as saved. */
  full: LayersModel;
  ae: LayersModel;
  head: LayersModel;
}

/** Builds the untrained network; every initializer is seeded from `seed`. */
export function buildNetwork(tl: TfLayers, shape: NetworkShape, seed: number): Network {
  let n = 0;
  const init = () => tl.initializers.glorotUniform({ seed: seed * 97 + ++n });
  const dense = (name: string, units: number, activation: Activation) =>
    tl.layers.dense({
      name,
      units,
      activation,
      kernelInitializer: init(),
      biasInitializer: 'zeros',
    });
  const aeIn = tl.input({ shape: [shape.aeInputs], name: BRANCHES.ae.input });
  let h = dense('ae_enc', shape.aeHidden, 'tanh').apply(aeIn) as SymbolicTensor;
  h = dense('ae_code', shape.aeCode, 'tanh').apply(h) as SymbolicTensor;
  h = dense('ae_dec', shape.aeHidden, 'tanh').apply(h) as SymbolicTensor;
  const aeOut = dense('ae_out', shape.aeOutputs, 'linear').apply(h) as SymbolicTensor;
  const headIn = tl.input({ shape: [shape.headInputs], name: BRANCHES.head.input });
  const g = dense('head_hidden', shape.headHidden, 'relu').apply(headIn) as SymbolicTensor;
  const headOut = dense('head_out', shape.behaviours, 'sigmoid').apply(g) as SymbolicTensor;
  return {
    full: tl.model({ inputs: [aeIn, headIn], outputs: [aeOut, headOut], name: 'homewatch' }),
    ae: tl.model({ inputs: aeIn, outputs: aeOut }),
    head: tl.model({ inputs: headIn, outputs: headOut }),
  };
}

interface KerasLayer {
  class_name: string;
  config: { name: string; units?: number; activation?: string; use_bias?: boolean };
  inbound_nodes?: unknown[];
}

/** The Dense layers of a saved topology, by name. */
function denseConfigs(topology: io.ModelJSON['modelTopology']): Map<string, KerasLayer> {
  const t = topology as { model_config?: unknown; config?: { layers?: KerasLayer[] } } | null;
  const cfg = (t?.model_config ?? t) as { config?: { layers?: KerasLayer[] } } | null;
  const layers = cfg?.config?.layers ?? [];
  return new Map(layers.map((l) => [l.config.name, l]));
}

/** The name of the layer feeding `l` (functional topology: inbound_nodes[0][0][0]). */
function inboundName(l: KerasLayer): string | null {
  const nodes = l.inbound_nodes as unknown[][][] | undefined;
  const first = nodes?.[0]?.[0];
  return Array.isArray(first) && typeof first[0] === 'string' ? first[0] : null;
}

/**
 * One branch as a plain dense chain, checked against the saved topology: each named layer is
 * a Dense layer fed by the one before, with an activation the plain engine knows.
 */
export function chainFromFolder(
  topology: io.ModelJSON['modelTopology'],
  weights: Map<string, NamedWeight>,
  branch: keyof typeof BRANCHES,
): DenseChain {
  const layers = denseConfigs(topology);
  const spec = BRANCHES[branch];
  let prev: string = spec.input;
  const out: DenseLayer[] = [];
  for (const name of spec.layers) {
    const l = layers.get(name);
    if (l === undefined) throw new Error(`the topology has no layer ${name}`);
    if (l.class_name !== 'Dense') throw new Error(`layer ${name} is ${l.class_name}, not Dense`);
    if (inboundName(l) !== prev) throw new Error(`layer ${name} is not fed by ${prev}`);
    const act = (l.config.activation ?? 'linear') as Activation;
    if (!ACTIVATIONS.includes(act)) throw new Error(`layer ${name}: activation ${act} unknown`);
    const kernel = weights.get(`${name}/kernel`);
    const bias = weights.get(`${name}/bias`);
    if (kernel === undefined || kernel.shape.length !== 2)
      throw new Error(`layer ${name} has no 2-D kernel`);
    const units = kernel.shape[1];
    if (l.config.use_bias === false || bias === undefined || bias.values.length !== units)
      throw new Error(`layer ${name} has no bias of ${units}`);
    out.push({
      name,
      inputs: kernel.shape[0],
      units,
      kernel: kernel.values,
      bias: bias.values,
      activation: act,
    });
    prev = name;
  }
  return new DenseChain(out);
}
