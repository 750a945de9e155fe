/**
 * The real captures detection is judged on live in src/evaluate/real-captures.ts (training's
 * evaluation reads them too); re-exported here for the benches.
 * @module
 */
export { ATTACKS, BENIGN } from '../src/evaluate/real-captures.js';
