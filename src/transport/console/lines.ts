// The console's input, one line at a time, shared by the shell and the modal form: a form asks its
// fields from the same stream the shell reads, so a whole flow (a shortcut, its form, the answers)
// can be piped from a file and is read in order.
import readline from 'node:readline';

export class LineReader {
  private readonly queue: string[] = [];
  private waiting?: (line: string | undefined) => void;
  private ended = false;
  private readonly rl: readline.Interface;

  constructor(input: NodeJS.ReadableStream) {
    this.rl = readline.createInterface({ input, terminal: false });
    this.rl.on('line', (line) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting(line);
      else this.queue.push(line);
    });
    this.rl.on('close', () => this.end());
  }

  /** The next line, or undefined once input has ended (EOF) or close() was called. */
  next(): Promise<string | undefined> {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Stops reading: lines not yet taken are dropped and whoever waits gets undefined. */
  close(): void {
    this.queue.length = 0;
    this.rl.close();
    this.end();
  }

  private end(): void {
    this.ended = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(undefined);
  }
}
