/** A progress bar for long Ace commands (imports, mailings, billing runs); silent when not a TTY. */
export class ProgressBar {
  #done = 0
  #lastDraw = 0
  constructor(
    private total: number,
    private label: string,
    private stream: NodeJS.WriteStream = process.stdout
  ) {}

  tick(count = 1) {
    this.#done += count
    const now = Date.now()
    if (now - this.#lastDraw > 100 || this.#done >= this.total) {
      this.#lastDraw = now
      this.draw()
    }
  }

  private draw() {
    if (!this.stream.isTTY) return
    const width = 30
    const ratio = this.total ? Math.min(1, this.#done / this.total) : 1
    const filled = Math.round(ratio * width)
    this.stream.write(
      `\r${this.label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${this.#done}/${this.total} (${Math.round(ratio * 100)} %)`
    )
  }

  finish() {
    if (this.stream.isTTY) this.stream.write('\n')
  }
}
