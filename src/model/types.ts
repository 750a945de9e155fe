/**
 * What the runtime asks of a model: score one judged window. The model (issue "The model")
 * implements this in src/model/; the runtime calls it for every device window after the
 * detectors, with the same context they saw, and writes what it returns into the window record
 * (`score`, `behaviours`). A high score that no named behaviour explains becomes an `anomaly`
 * finding, which joins the alert episodes like any detector's.
 * @module
 */
import type { DetectContext, Detector, Finding } from '../detect/types.js';

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
  /**
   * Speaks for `anomaly` episodes: its `sentence`, `advice` and `merge` are used by the alert
   * episodes (its `detect` is not called; `score` makes the findings).
   */
  readonly anomalyDetector: Detector;
  score(ctx: DetectContext, findings: readonly Finding[]): ModelVerdict;
  /**
   * What the scorer remembers from window to window (per-device memory), as a plain JSON value
   * for the state file's `model` part; none when it remembers nothing.
   */
  snapshot?(): unknown;
  /** Restores a `snapshot`; throws ERR_STATE, remembering nothing, when it cannot. */
  restore?(part: unknown): void;
}
