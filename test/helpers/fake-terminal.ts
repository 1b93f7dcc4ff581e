/** Stand-ins for the terminal runTui draws on and reads from. */
import {EventEmitter} from 'node:events';

/** A terminal of `columns` x `rows` that keeps everything written to it. */
export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  columns = 100;
  rows = 30;
  written = '';
  write(chunk: string): boolean {
    this.written += chunk;
    return true;
  }
}

/** Not a terminal: Ink then reads no keys and sets no raw mode. */
export class FakeStdin extends EventEmitter {
  readonly isTTY = false;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): null {
    return null;
  }
}
