/** The transport of sessions without a socket (the replica's master link, the AOF loader, tests). */
import type { ClientSession, SessionTransport } from './session.js';

/** The transport of an internal session: output goes to a sink (or nowhere). */
export class InternalTransport implements SessionTransport {
  session: ClientSession | null = null;
  readonly fd = -1;
  readonly pendingOutput = 0;
  readonly pendingInput = 0;
  constructor(private readonly sink: ((data: Buffer) => void) | null) {}

  flush(): void {
    const out = this.session?.writer.take() ?? null;
    if (out !== null && this.sink !== null) this.sink(out);
  }

  scheduleFlush(): void {
    queueMicrotask(() => this.flush());
  }

  send(data: Buffer): void {
    this.session?.writer.raw(data);
    this.scheduleFlush();
  }

  closeAfterReply(): void {}

  close(): void {}
}
