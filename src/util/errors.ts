/**
 * Typed, coded errors. Library code throws or returns these; only the CLI decides what a person
 * sees and which exit code follows.
 * @module
 */

/** Error codes, each mapped to an exit code by the CLI (2 = bad usage / unreadable input). */
export type ErrorCode =
  | 'ERR_USAGE'
  | 'ERR_INPUT_MISSING'
  | 'ERR_INPUT_IS_DIRECTORY'
  | 'ERR_INPUT_EMPTY'
  | 'ERR_INPUT_NOT_CAPTURE'
  | 'ERR_INPUT_UNSUPPORTED_LINKTYPE'
  | 'ERR_INPUT_UNREADABLE'
  | 'ERR_OUTPUT'
  | 'ERR_CAPTURE_NO_INTERFACE'
  | 'ERR_CAPTURE_PERMISSION'
  | 'ERR_CAPTURE_MODULE'
  | 'ERR_CAPTURE'
  | 'ERR_STATE'
  | 'ERR_MODEL'
  | 'ERR_INFLUX'
  | 'ERR_INTERNAL';

const EXIT_2: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ERR_USAGE',
  'ERR_INPUT_MISSING',
  'ERR_INPUT_IS_DIRECTORY',
  'ERR_INPUT_EMPTY',
  'ERR_INPUT_NOT_CAPTURE',
  'ERR_INPUT_UNSUPPORTED_LINKTYPE',
  'ERR_INPUT_UNREADABLE',
  'ERR_OUTPUT',
  'ERR_CAPTURE_NO_INTERFACE',
  'ERR_CAPTURE_PERMISSION',
  'ERR_CAPTURE_MODULE',
  'ERR_MODEL',
]);

/** An error with a stable code and a one-line message meant for a person. */
export class HomewatchError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HomewatchError';
    this.code = code;
  }
  /** The process exit code the CLI uses for this error. */
  get exitCode(): number {
    return EXIT_2.has(this.code) ? 2 : 1;
  }
}

/** An input file problem: the message always starts with the file name. */
export function inputError(code: ErrorCode, file: string, problem: string): HomewatchError {
  return new HomewatchError(code, `${file}: ${problem}`);
}
