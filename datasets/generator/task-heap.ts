/**
 * The simulator's event queue: a binary min-heap of tasks keyed on their next packet time.
 * @module
 */
import type { Task } from './sim.js';

export class TaskHeap {
  readonly items: Task[] = [];

  push(t: Task): void {
    const a = this.items;
    let i = a.length;
    a.push(t);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].at <= t.at) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = t;
  }

  /** Restore order after the top task's `at` grew. */
  siftTop(): void {
    const a = this.items;
    const n = a.length;
    const t = a[0];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && a[c + 1].at < a[c].at) c++;
      if (a[c].at >= t.at) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = t;
  }

  pop(): void {
    const a = this.items;
    const last = a.pop() as Task;
    if (a.length > 0) {
      a[0] = last;
      this.siftTop();
    }
  }
}
