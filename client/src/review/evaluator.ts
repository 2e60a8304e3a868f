/**
 * Re-evaluation scheduling: every change asks for an evaluation; requests are debounced (~150 ms), the previous
 * result stays visible while one is in flight, and an answer that arrives after a newer request was sent is
 * discarded (out-of-order responses never overwrite newer ones).
 */
export interface EvaluatorCallbacks<T> {
  onLoading(loading: boolean): void;
  onResult(result: T): void;
  onError(error: unknown): void;
}

export class Evaluator<I, T> {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;
  private inFlight = 0;
  private controller: AbortController | undefined;

  constructor(
    private readonly run: (input: I, signal: AbortSignal) => Promise<T>,
    private readonly cb: EvaluatorCallbacks<T>,
    private readonly debounceMs = 150,
  ) {}

  /** Ask for an evaluation of `input` (debounced). */
  request(input: I): void {
    if (this.timer) clearTimeout(this.timer);
    this.cb.onLoading(true);
    this.timer = setTimeout(() => { this.timer = undefined; void this.fire(input); }, this.debounceMs);
  }

  /** Evaluate at once (first load). */
  now(input: I): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.cb.onLoading(true);
    return this.fire(input);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.controller?.abort();
    this.seq++;
  }

  private async fire(input: I): Promise<void> {
    const mine = ++this.seq;
    this.controller = new AbortController();
    this.inFlight++;
    try {
      const result = await this.run(input, this.controller.signal);
      if (mine === this.seq) this.cb.onResult(result);
    } catch (err) {
      if (mine === this.seq) this.cb.onError(err);
    } finally {
      this.inFlight--;
      if (mine === this.seq && !this.timer) this.cb.onLoading(false);
    }
  }
}
