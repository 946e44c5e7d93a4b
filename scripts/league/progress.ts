/**
 * A quiet-by-default progress line on stderr: nothing for runs under about a second, then a line
 * that rewrites itself on a terminal (or a line every few seconds in a log). `--quiet` disables it.
 */
export class Progress {
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly enabled: boolean,
    private readonly delayMs = 1000,
  ) {}

  update(message: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.started < this.delayMs) return;
    const interval = this.stream.isTTY ? 100 : 5000;
    if (this.drawn && now - this.lastDraw < interval) return;
    this.lastDraw = now;
    this.drawn = true;
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${message}`);
    else this.stream.write(`${message}\n`);
  }

  done(): void {
    if (this.enabled && this.drawn && this.stream.isTTY) this.stream.write('\r\x1b[2K');
  }
}
