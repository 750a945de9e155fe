/**
 * What the runtime asks of a model: score one judged window. The model (issue "The model")
 * implements this in src/model/; the runtime calls it for every device window after the
 * detectors, with the same context they saw, and writes what it returns into the window record
 * (`score`, `behaviours`). A high score that no named behaviour explains becomes an `anomaly`
 * finding, which joins the alert episodes like any detector's.
 * @module
 */
import type { DetectContext, Finding } from '../detect/types.js';

export interface ModelVerdict {
  /** Anomaly score in [0, 1] (calibrated: see the model card). */
  score: number;
  /** Probability per behaviour of DESIGN.md's vocabulary (those the model knows). */
  behaviours: Record<string, number>;
  /** The model's `anomaly` finding, or null (it decides, given the detectors' findings). */
  anomaly: Finding | null;
}

export interface WindowScorer {
  /** Name and version for logs and the model card ('autoencoder v1 (wasm)'). */
  readonly description: string;
  score(ctx: DetectContext, findings: readonly Finding[]): ModelVerdict;
}
