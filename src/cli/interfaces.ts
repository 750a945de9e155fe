/**
 * `homewatch interfaces [--all]`: the interfaces capture can use, the default marked.
 * @module
 */
import { parseArgs } from 'node:util';
import { defaultInterface, listInterfaces } from '../capture/live/interfaces.js';
import { usage } from './options.js';

export const INTERFACES_HELP = `Usage: homewatch interfaces [--all]

Lists the network interfaces that are up (with --all, every interface). '*' marks the one
homewatch capture uses without --interface: the first non-loopback interface that is up.
`;

export async function interfacesCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { all: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (err) {
    throw usage(`interfaces: ${(err as Error).message.split('\n')[0]}`);
  }
  if (values.help) {
    process.stdout.write(INTERFACES_HELP);
    return 0;
  }
  const all = listInterfaces();
  const def = defaultInterface(all);
  const shown = values.all ? all : all.filter((i) => i.up);
  const rows = shown.map((i) => [
    i.name === def ? '*' : ' ',
    i.name,
    i.up ? 'up' : 'down',
    i.loopback ? 'loopback' : '',
    i.mac,
    i.addresses.join(' '),
  ]);
  const widths = [1, 4, 4, 8, 17].map((w, c) => Math.max(w, ...rows.map((r) => r[c].length)));
  for (const r of rows) {
    const line = r.map((cell, c) => (c < widths.length ? cell.padEnd(widths[c]) : cell)).join('  ');
    process.stdout.write(`${line.trimEnd()}\n`);
  }
  if (shown.length === 0) process.stdout.write('no interface is up\n');
  return 0;
}
