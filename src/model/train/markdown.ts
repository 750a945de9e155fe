/**
 * The model card's Markdown pieces: a table with right-aligned figures, and a figure to three
 * decimals ('–' when there is none).
 * @module
 */

export function f3(v: number | null): string {
  return v === null ? '–' : v.toFixed(3);
}

export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join(
    '\n',
  );
}
