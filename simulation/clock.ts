/**
 * Virtual time for the simulation: a clock with timers kept in a min-heap
 * (earliest first, ties in the order they were set, so a run is the same
 * every time), and a FIFO queue of deliveries that run "now". Nothing here
 * reads the wall clock.
 *
 * @module
 */

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
  cancelled: boolean;
}

/** A handle to cancel a timer. */
export interface TimerHandle {
  cancel(): void;
}

const earlier = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

export class VirtualClock {
  #now: number;
  #heap: Timer[] = [];
  #seq = 0;
  /** Cancelled timers still in the heap (removed lazily, or all at once when they pile up). */
  #stale = 0;
  /** Deliveries waiting to run at the current time, in order. */
  #tasks: (() => void)[] = [];
  #head = 0;

  constructor(start: number) {
    this.#now = start;
  }

  get now(): number {
    return this.#now;
  }

  /** Runs `fire` when time reaches `at` (at once in the next `run` when `at` is past). */
  at(at: number, fire: () => void): TimerHandle {
    const t: Timer = { at: Math.max(at, this.#now), seq: this.#seq++, fire, cancelled: false };
    this.#push(t);
    return {
      cancel: () => {
        if (t.cancelled) return;
        t.cancelled = true;
        if (++this.#stale > 1024 && this.#stale * 2 > this.#heap.length) this.#compact();
      },
    };
  }

  /** Queues a delivery for the current time (the memory transport's `defer`). */
  readonly defer = (task: () => void): void => {
    this.#tasks.push(task);
  };

  /** Runs queued deliveries until none is left. */
  // spec: PD-190
  drain(): void {
    while (this.#head < this.#tasks.length) {
      const task = this.#tasks[this.#head++];
      task();
      if (this.#head > 4096 && this.#head * 2 > this.#tasks.length) {
        this.#tasks = this.#tasks.slice(this.#head);
        this.#head = 0;
      }
    }
    this.#tasks = [];
    this.#head = 0;
  }

  /** Time of the next live timer, or undefined. */
  next(): number | undefined {
    while (this.#heap.length > 0 && this.#heap[0].cancelled) {
      this.#pop();
      this.#stale--;
    }
    return this.#heap[0]?.at;
  }

  /** Drops every cancelled timer (a sorted array is a valid heap; order stays deterministic). */
  #compact(): void {
    this.#heap = this.#heap.filter((t) => !t.cancelled).sort((a, b) => earlier(a, b) ? -1 : 1);
    this.#stale = 0;
  }

  /**
   * Runs everything up to `until`: deliveries, then each timer in time
   * order (time jumps to it; `onAdvance` hears every jump first), until no
   * timer is due by `until`; time ends at `until`.
   */
  run(until: number, onAdvance: (now: number) => void = () => {}): void {
    this.drain();
    for (;;) {
      const at = this.next();
      if (at === undefined || at > until) break;
      if (at > this.#now) {
        this.#now = at;
        onAdvance(at);
        this.drain();
      }
      const t = this.#pop();
      t.fire();
      this.drain();
    }
    if (until > this.#now) {
      this.#now = until;
      onAdvance(until);
      this.drain();
    }
  }

  #push(t: Timer): void {
    const h = this.#heap;
    let i = h.push(t) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!earlier(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  #pop(): Timer {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && earlier(h[l], h[m])) m = l;
        if (r < h.length && earlier(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
