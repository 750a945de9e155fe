/**
 * A model as a folder: `model.json` (the Keras topology, the weights manifest and Homewatch's
 * metadata under `userDefinedMetadata.homewatch`) and `weights.bin` (float32, little-endian, in
 * manifest order) — the layout tfjs-node's `file://` handler writes, without needing tfjs-node
 * (`tf.io.fileSystem` exists only there).
 *
 * `fileSaveHandler` / `fileLoadHandler` plug into `model.save()` / `tf.loadLayersModel()`;
 * `readModelFolder` reads the same files with no TensorFlow.js at all, for the plain forward
 * pass that scores windows.
 * @module
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { HomewatchError } from '../util/errors.js';
import type { TfCore } from './backend.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** One weight tensor as read from the folder. */
export interface NamedWeight {
  shape: number[];
  values: Float32Array;
}

export interface ModelFolder {
  json: io.ModelJSON;
  /** Weights by name ('enc1/kernel'). */
  weights: Map<string, NamedWeight>;
}

function modelError(dir: string, problem: string): HomewatchError {
  return new HomewatchError('ERR_MODEL', `--model ${dir}: ${problem}`);
}

/** Writes a file through a temporary name, so a reader never sees half of it. */
function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function concat(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  if (!Array.isArray(data)) return new Uint8Array(data);
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out;
}

/** `model.save(fileSaveHandler(tf, dir))` writes dir/model.json and dir/weights.bin. */
export function fileSaveHandler(core: TfCore, dir: string): io.IOHandler {
  return core.io.withSaveHandler(async (a: io.ModelArtifacts) => {
    if (a.modelTopology === undefined || a.weightSpecs === undefined || a.weightData === undefined)
      throw new Error('the model has no topology or weights to save');
    mkdirSync(dir, { recursive: true });
    const weights = concat(a.weightData);
    const json: io.ModelJSON = {
      modelTopology: a.modelTopology,
      format: a.format,
      generatedBy: a.generatedBy,
      convertedBy: a.convertedBy ?? null,
      weightsManifest: [{ paths: [WEIGHTS_BIN], weights: a.weightSpecs }],
    };
    if (a.trainingConfig !== undefined) json.trainingConfig = a.trainingConfig;
    if (a.userDefinedMetadata !== undefined) json.userDefinedMetadata = a.userDefinedMetadata;
    writeAtomic(join(dir, WEIGHTS_BIN), weights);
    writeAtomic(join(dir, MODEL_JSON), `${JSON.stringify(json)}\n`);
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(0),
        modelTopologyType: 'JSON',
        weightDataBytes: weights.byteLength,
      },
    };
  });
}

/** `tf.loadLayersModel(fileLoadHandler(tf, dir))`. */
export function fileLoadHandler(core: TfCore, dir: string): io.IOHandler {
  return {
    load: async () => {
      const json = readModelJson(dir);
      return core.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((g) => g.weights);
        const data = manifest.flatMap((g) => g.paths.map((p) => readWeightsFile(dir, p)));
        return [specs, data];
      });
    },
  };
}

export function readModelJson(dir: string): io.ModelJSON {
  let text: string;
  try {
    text = readFileSync(join(dir, MODEL_JSON), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw modelError(
      dir,
      code === 'ENOENT' ? `no ${MODEL_JSON} in it` : (err as Error).message.split('\n')[0],
    );
  }
  let json: io.ModelJSON;
  try {
    json = JSON.parse(text) as io.ModelJSON;
  } catch (err) {
    throw modelError(dir, `${MODEL_JSON} is not JSON (${(err as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || !Array.isArray(json.weightsManifest))
    throw modelError(dir, `${MODEL_JSON} is not a TensorFlow.js layers model (no weightsManifest)`);
  return json;
}

function readWeightsFile(dir: string, path: string): ArrayBuffer {
  if (path.includes('/') || path.includes('\\') || path.startsWith('.'))
    throw modelError(dir, `weights path '${path}' leaves the model folder`);
  let buf: Buffer;
  try {
    buf = readFileSync(join(dir, path));
  } catch (err) {
    throw modelError(dir, `cannot read ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** Reads the folder with no TensorFlow.js: topology, metadata and float32 weights by name. */
export function readModelFolder(dir: string): ModelFolder {
  const json = readModelJson(dir);
  const weights = new Map<string, NamedWeight>();
  for (const group of json.weightsManifest) {
    const bytes = concat(group.paths.map((p) => readWeightsFile(dir, p)));
    let at = 0;
    for (const spec of group.weights) {
      if (spec.dtype !== 'float32' || spec.quantization !== undefined)
        throw modelError(dir, `weight ${spec.name} is ${spec.dtype}; only float32 is supported`);
      const n = spec.shape.reduce((a, b) => a * b, 1);
      if (at + n * 4 > bytes.byteLength)
        throw modelError(dir, `${WEIGHTS_BIN} is shorter than its manifest says`);
      // Copy: the file's bytes need not be 4-byte aligned.
      const values = new Float32Array(bytes.slice(at, at + n * 4).buffer);
      weights.set(spec.name, { shape: spec.shape, values });
      at += n * 4;
    }
    if (at !== bytes.byteLength)
      throw modelError(dir, `${WEIGHTS_BIN} is longer than its manifest says`);
  }
  return { json, weights };
}
