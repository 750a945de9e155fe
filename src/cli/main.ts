#!/usr/bin/env node
/**
 * The `homewatch` command: parses the command word, runs it, and maps errors to exit codes
 * (0 done; 2 bad usage or unreadable input, one line on stderr; 1 any other failure).
 * @module
 */
import { readFileSync } from 'node:fs';
import { HomewatchError } from '../util/errors.js';
import { replayCommand } from './replay.js';

const HELP = `Usage: homewatch <command> [options]

Commands:
  replay FILE...      read capture files and write per-device windows
  capture             watch a network interface (a switch's mirror port)
  interfaces          list the interfaces capture can use
  evaluate FILE...    per-behaviour recall, delay and false alerts against labelled events
  train               rebuild the model from the scenarios and benign captures

Run 'homewatch <command> --help' for a command's options.
`;

type Command = (argv: string[]) => Promise<number>;

async function loadCommand(name: string): Promise<Command | null> {
  switch (name) {
    case 'replay':
      return replayCommand;
    case 'capture':
      return (await import('./capture.js')).captureCommand;
    case 'interfaces':
      return (await import('./interfaces.js')).interfacesCommand;
    case 'evaluate':
      return (await import('./evaluate.js')).evaluateCommand;
    case 'train':
      return (await import('./train.js')).trainCommand;
    default:
      return null;
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    process.stdout.write(`homewatch ${version()}\n`);
    return 0;
  }
  const run = await loadCommand(cmd);
  if (run === null)
    throw new HomewatchError('ERR_USAGE', `unknown command '${cmd}' (try homewatch --help)`);
  return run(rest);
}

function report(err: unknown): number {
  if (err instanceof HomewatchError) {
    process.stderr.write(`homewatch: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EPIPE') return 0;
  process.stderr.write(`homewatch: internal error: ${e?.message ?? String(err)}\n`);
  if (process.env.HOMEWATCH_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
  return 1;
}

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  // A closed pipe (`homewatch replay x --out - | head`) ends output quietly.
  if (err.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = report(err);
  },
);
