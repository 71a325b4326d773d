/** Peak resident memory of this process while something runs: sampled every 50 ms and on demand. */
export class RssSampler {
  peak = 0
  private readonly timer: NodeJS.Timeout

  constructor() {
    this.sample()
    this.timer = setInterval(() => this.sample(), 50)
    this.timer.unref()
  }

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss())
  }

  /** Stop sampling; the peak in MiB. */
  stop(): number {
    clearInterval(this.timer)
    this.sample()
    return this.peak / 2 ** 20
  }
}
