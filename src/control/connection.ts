/**
 * The client end of the control socket: one connection, requests matched to
 * replies by id, and the events of the streams a request opened.
 *
 *   const connection = await ControlConnection.connect(paths.socket);
 *   const report = await connection.request<StatusReport>('status', {});
 */
import net from 'node:net';
import {encodeMessage, LineReader, protocolVersion, type ErrorBody, type Hello, type Method, type RequestId} from './protocol.js';

/** Replies can carry a subscription's backlog chunks; far above any real message, still a bound. */
const maxReplyBytes = 256 * 1024 * 1024;

/** Nothing answers on the socket: no stack is running for that project. */
export class NoStackError extends Error {
  constructor(readonly socketPath: string, reason: string) {
    super(`no procdeck is running here (${reason} at ${socketPath})`);
  }
}

/** What a command prints when no stack answers for `projectDir` (every verb, and attach). */
export function noStackMessage(projectDir: string): string {
  return `no stack is running in ${projectDir} (start one with procdeck start, or procdeck start -D)`;
}

/** What a command prints when the connection to a stack closed with no `stopped` event first: its procdeck was killed or crashed. */
export function lostStackMessage(projectDir: string): string {
  return `lost the connection to the stack: its procdeck is gone (the next procdeck start in ${projectDir} ends what it left running)`;
}

/** Something accepts connections on the socket but does not greet: a procdeck that is stopped (SIGSTOP) or hung. */
export class NotAnsweringError extends Error {
  constructor(readonly socketPath: string, readonly timeoutMs: number) {
    super(`${socketPath}: the control socket did not answer within ${timeoutMs}ms`);
  }
}

/** The stack closed the connection (it stopped) before answering. */
export class ConnectionClosedError extends Error {
  constructor(message = 'procdeck closed the control connection') {
    super(message);
  }
}

/** The server refused a request; `code` says why (see protocol.ts). */
export class RemoteError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type EventListener = (name: string, data: unknown) => void;

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class ControlConnection {
  private nextId = 1;
  private readonly pending = new Map<RequestId, Pending>();
  private readonly streams = new Map<RequestId, EventListener>();
  private readonly globalListeners = new Set<EventListener>();
  private readonly closeListeners = new Set<() => void>();
  private isClosed = false;

  private constructor(
    private readonly socket: net.Socket,
    readonly hello: Hello,
  ) {}

  /** Connects and waits for the server's `hello`; NoStackError when nobody listens there. */
  static connect(socketPath: string, options: {timeoutMs?: number} = {}): Promise<ControlConnection> {
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(socketPath);
      let connection: ControlConnection | undefined;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new NotAnsweringError(socketPath, timeoutMs));
      }, timeoutMs);
      const reader = new LineReader(
        maxReplyBytes,
        (line) => {
          let message: Record<string, unknown>;
          try {
            message = JSON.parse(line) as Record<string, unknown>;
          } catch {
            return; // not ours to fix; a newer server may send what we do not know
          }
          if (connection) {
            connection.onMessage(message);
          } else if (message.event === 'hello') {
            clearTimeout(timer);
            connection = new ControlConnection(socket, message.data as Hello);
            resolve(connection);
          }
        },
        () => undefined,
      );
      socket.on('data', (chunk) => reader.push(chunk));
      // `on`, not `once`: a reset can follow another error, and an unhandled one would crash the verb.
      socket.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (connection) return; // 'close' follows and reports it
        // ENOTDIR: a file where the runtime directory should be; no socket can be there either.
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') reject(new NoStackError(socketPath, 'no control socket'));
        else if (error.code === 'ECONNREFUSED') reject(new NoStackError(socketPath, 'a stale control socket'));
        // A stack that is stopping (another quit) drops connections it has not greeted yet.
        else if (error.code === 'ECONNRESET' || error.code === 'EPIPE') reject(new NoStackError(socketPath, 'the control socket closed'));
        else reject(error);
      });
      socket.once('close', () => {
        clearTimeout(timer);
        if (!connection) reject(new NoStackError(socketPath, 'the control socket closed'));
        else connection.markClosed();
      });
    });
  }

  /** Sends a request; resolves with its result, or rejects with RemoteError. `onEvent` receives its stream's events. */
  request<T>(method: Method, params: object, onEvent?: EventListener): Promise<T> {
    if (this.isClosed) return Promise.reject(new ConnectionClosedError('the control connection is closed'));
    const id = this.nextId++;
    if (onEvent) this.streams.set(id, onEvent);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, {resolve: resolve as (result: unknown) => void, reject});
      this.socket.write(encodeMessage({v: protocolVersion, id, method, params}));
    });
  }

  /** Events not tied to a request (`dropped`). */
  onGlobalEvent(listener: EventListener): () => void {
    this.globalListeners.add(listener);
    return () => this.globalListeners.delete(listener);
  }

  onClose(listener: () => void): () => void {
    if (this.isClosed) queueMicrotask(listener);
    else this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Closes the connection; resolves once it is closed. */
  close(): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    return new Promise((resolve) => {
      this.closeListeners.add(resolve);
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 500).unref();
    });
  }

  private onMessage(message: Record<string, unknown>): void {
    const id = message.id as RequestId | null;
    if (typeof message.event === 'string') {
      const listener = id === null ? undefined : this.streams.get(id);
      if (listener) listener(message.event, message.data);
      else for (const global of this.globalListeners) global(message.event, message.data);
      return;
    }
    if (id === null) return;
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (message.ok === true) pending.resolve(message.result);
    else {
      const error = (message.error ?? {}) as Partial<ErrorBody>;
      this.streams.delete(id);
      pending.reject(new RemoteError(error.code ?? 'internal', error.message ?? 'request failed'));
    }
  }

  private markClosed(): void {
    this.isClosed = true;
    for (const pending of this.pending.values()) pending.reject(new ConnectionClosedError());
    this.pending.clear();
    for (const listener of this.closeListeners) listener();
    this.closeListeners.clear();
  }
}

/**
 * Who answers on `socketPath`: their hello, `unknown` when something accepts
 * connections but does not greet, null when nobody listens (no file, or a
 * stale one left by a dead process).
 */
export async function probeServer(socketPath: string, timeoutMs = 2000): Promise<Hello | 'unknown' | null> {
  try {
    const connection = await ControlConnection.connect(socketPath, {timeoutMs});
    const hello = connection.hello;
    await connection.close();
    return hello;
  } catch (error) {
    if (error instanceof NoStackError) return null;
    return 'unknown';
  }
}
