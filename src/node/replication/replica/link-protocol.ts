/**
 * Everything a replica does with the bytes of one master connection, without the connection: the handshake,
 * the PSYNC answer, the full-sync payload, and the stream. The driver owns the socket, timers and the dataset; it
 * feeds received bytes in and acts on the sink's calls. Nothing here reads a clock.
 *
 * Between PSYNC and the end of the payload this side sends nothing at all — not even ACKs or newlines: a diskless
 * Redis master restarts its repl-diskless-sync-delay on every byte it receives from a waiting replica.
 */
import { ackCommand } from '../wire.js';
import { handshakeStep, startHandshake, type HandshakeConfig, type HandshakeState, type PsyncOutcome } from './handshake.js';
import { PayloadReader, type PayloadEvent } from './payload-reader.js';
import { StreamReader, type StreamHandler } from './stream-reader.js';

export type LinkPhase = 'idle' | HandshakeState | 'transfer' | 'loading' | 'streaming' | 'closed';

export interface ReplicaLinkSink extends StreamHandler {
  /** Write to the master. */
  send(data: Buffer): void;
  /**
   * The master's answer to PSYNC. On 'full' (or 'not-supported', which continues as a SYNC full sync) the
   * payload follows; on 'continue' the stream follows at once; on 'try-later' the link is closed by the driver.
   */
  psyncOutcome(outcome: PsyncOutcome): void;
  payloadStart(size: number | null): void;
  payloadData(chunk: Buffer): void;
  /** Payload complete: load it, then call `payloadLoaded()` (or drop the link if it is bad). */
  payloadEnd(): void;
  /** The link must be dropped (handshake refused, protocol error, master aborted). */
  abort(reason: string): void;
}

const MAX_LINE = 64 * 1024;

export class ReplicaLinkProtocol {
  #phase: LinkPhase = 'idle';
  readonly #cfg: HandshakeConfig;
  readonly #sink: ReplicaLinkSink;
  #line: Buffer = Buffer.alloc(0);
  #payload: PayloadReader | null = null;
  #usedMark = false;
  #held: Buffer[] = [];
  #stream: StreamReader | null = null;
  /** Offset the stream starts after: the +FULLRESYNC offset, or the cached offset on +CONTINUE. */
  #startOffset = 0;
  /** Master reached through the old SYNC: it expects no ACKs (CLIENT_PRE_PSYNC). */
  #preSync = false;

  constructor(cfg: HandshakeConfig, sink: ReplicaLinkSink) {
    this.#cfg = cfg;
    this.#sink = sink;
  }

  get phase(): LinkPhase {
    return this.#phase;
  }

  /** Bytes read / total of the payload (INFO master_sync_*); null when no transfer is going on. */
  get transfer(): { readonly totalBytes: number; readonly readBytes: number } | null {
    if (this.#phase !== 'transfer' || this.#payload === null) return null;
    return { totalBytes: this.#payload.totalBytes, readBytes: this.#payload.readBytes };
  }

  /** The stream reader once streaming (offsets), else null. */
  get stream(): StreamReader | null {
    return this.#stream;
  }

  get preSync(): boolean {
    return this.#preSync;
  }

  /** Connection established: send PING. */
  start(): void {
    const s = startHandshake();
    this.#phase = s.state;
    for (const b of s.send) this.#sink.send(b);
  }

  feed(chunk: Buffer): void {
    switch (this.#phase) {
      case 'idle':
      case 'closed':
        return;
      case 'transfer':
        return this.#feedPayload(chunk);
      case 'loading':
        this.#held.push(chunk);
        return;
      case 'streaming':
        return this.#stream!.feed(chunk, this.#sink);
      default:
        return this.#feedHandshake(chunk);
    }
  }

  /** The payload was loaded: start the stream (and ACK at once after an EOF-marked payload, as 7.0 does). */
  payloadLoaded(): void {
    if (this.#phase !== 'loading') return;
    this.#startStream();
    if (this.#usedMark && !this.#preSync) this.#sink.send(ackCommand(this.#startOffset));
    const held = this.#held;
    this.#held = [];
    for (const b of held) {
      if ((this.#phase as LinkPhase) !== 'streaming') break; // a command may have dropped the link
      this.#stream!.feed(b, this.#sink);
    }
  }

  /** `REPLCONF ACK <applied offset>` for the 1 Hz ACK, or null when no ACK may be sent now. */
  ack(): Buffer | null {
    if (this.#phase !== 'streaming' || this.#preSync) return null;
    return ackCommand(this.#stream!.appliedOffset);
  }

  close(): void {
    this.#phase = 'closed';
    this.#stream?.fail();
    this.#held = [];
  }

  #feedHandshake(chunk: Buffer): void {
    let buf = this.#line.length > 0 ? Buffer.concat([this.#line, chunk]) : chunk;
    this.#line = Buffer.alloc(0);
    for (;;) {
      const nl = buf.indexOf(0x0a);
      if (nl === -1) {
        if (buf.length > MAX_LINE) return this.#abort('Reply from master too long');
        this.#line = Buffer.from(buf);
        return;
      }
      const line = buf.latin1Slice(0, nl > 0 && buf[nl - 1] === 0x0d ? nl - 1 : nl);
      buf = buf.subarray(nl + 1);
      const step = handshakeStep(this.#phase as HandshakeState, line, this.#cfg);
      switch (step.kind) {
        case 'wait':
          continue;
        case 'abort':
          return this.#abort(step.reason);
        case 'next':
          this.#phase = step.state;
          for (const b of step.send) this.#sink.send(b);
          continue;
        case 'done':
          return this.#psyncDone(step.outcome, buf, step.send);
      }
    }
  }

  /** `send` (the inline SYNC fallback) goes out only if the sink still wants the link after seeing the outcome
   *  (a FAILOVER hand-over aborts on anything but +CONTINUE/+FULLRESYNC, as syncWithMaster checks first). */
  #psyncDone(outcome: PsyncOutcome, rest: Buffer, send: readonly Buffer[]): void {
    switch (outcome.kind) {
      case 'try-later':
        this.#phase = 'closed';
        this.#sink.psyncOutcome(outcome);
        return;
      case 'continue':
        this.#startOffset = this.#cfg.cached?.offset ?? 0;
        this.#sink.psyncOutcome(outcome);
        if (this.#phase === 'closed') return;
        this.#startStream();
        if (rest.length > 0) this.#stream!.feed(rest, this.#sink);
        return;
      case 'full':
      case 'not-supported':
        this.#preSync = outcome.kind === 'not-supported';
        this.#startOffset = outcome.kind === 'full' ? Math.max(outcome.offset, 0) : 0;
        this.#phase = 'transfer';
        this.#payload = new PayloadReader();
        this.#sink.psyncOutcome(outcome);
        if (this.#phase !== 'transfer') return;
        for (const b of send) this.#sink.send(b);
        if (rest.length > 0) this.#feedPayload(rest);
        return;
    }
  }

  #feedPayload(chunk: Buffer): void {
    this.#payload!.feed(chunk, (e: PayloadEvent) => {
      if (this.#phase !== 'transfer') return;
      switch (e.kind) {
        case 'keepalive':
          return;
        case 'start':
          this.#usedMark = e.size === null;
          this.#sink.payloadStart(e.size);
          return;
        case 'data':
          this.#sink.payloadData(e.chunk);
          return;
        case 'error':
          this.#abort(e.reason);
          return;
        case 'end':
          this.#phase = 'loading';
          if (e.rest.length > 0) this.#held.push(Buffer.from(e.rest));
          this.#sink.payloadEnd();
          return;
      }
    });
  }

  #startStream(): void {
    this.#phase = 'streaming';
    this.#stream = new StreamReader(this.#startOffset);
  }

  #abort(reason: string): void {
    this.#phase = 'closed';
    this.#sink.abort(reason);
  }
}
