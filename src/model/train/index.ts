/**
 * Training, as one entry point: `homewatch train` loads this module only when it runs (it is
 * bundled on its own, dist/model/train/index.js, with the scenario generator), so no other
 * command parses it.
 * @module
 */
export { train, BUDGET, type Progress, type TrainOptions, type TrainResult } from './train.js';
export { FULL_SCALE, type DataScale } from './sources.js';
export { loadTf, requestedBackend } from '../backend.js';
