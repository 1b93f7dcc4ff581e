/**
 * The control socket of a running stack: answers the CLI verbs and streams
 * the engine's events to `procdeck attach` and `procdeck logs -f`.
 *
 * Nothing a client does can stall the engine or crash the server: requests
 * are capped in size and validated, every handler's failure becomes an error
 * reply, and each client's outgoing queue is bounded (events beyond it are
 * dropped and counted, and the client is told).
 */
import net from 'node:net';
import {chmodSync, unlinkSync} from 'node:fs';
import path from 'node:path';
import {ensurePrivateDir} from './paths.js';
import {probeServer} from './connection.js';
import type {Hello} from './protocol.js';
import type {ConnectionOptions, ServerConnection} from './server-connection.js';

/** What every connection is given (see ServerConnection), and where to listen. */
export interface ControlServerOptions extends ConnectionOptions {
  socketPath: string;
}

/** Thrown by `listen` when another procdeck answers on the socket. */
export class AlreadyRunningError extends Error {
  constructor(readonly hello: Hello | null, readonly socketPath: string) {
    super(`procdeck is already running here${hello ? ` (pid ${hello.pid})` : ''}; its control socket is ${socketPath}`);
  }
}

// Request handling (and zod, which validates requests) loads with the first
// client: most runs never have one, and every start would compile it.
let connectionModule: Promise<typeof import('./server-connection.js')> | undefined;

export class ControlServer {
  private readonly connections = new Set<ServerConnection>();
  private isClosing = false;

  private constructor(
    private readonly server: net.Server,
    readonly options: ControlServerOptions,
  ) {
    server.on('connection', (socket) => {
      this.accept(socket).catch(() => socket.destroy());
    });
  }

  // What the client sends meanwhile waits in the socket's buffer; a reset
  // meanwhile must not be an unhandled 'error'.
  private async accept(socket: net.Socket): Promise<void> {
    socket.on('error', () => {});
    const {ServerConnection} = await (connectionModule ??= import('./server-connection.js'));
    if (this.isClosing || socket.destroyed) {
      socket.destroy();
      return;
    }
    const connection = new ServerConnection(socket, this.options);
    this.connections.add(connection);
    socket.once('close', () => {
      connection.dispose();
      this.connections.delete(connection);
    });
  }

  /**
   * Listens on `options.socketPath` (directory 0700, socket 0600). A socket
   * file nobody answers on is a leftover of a dead procdeck and is replaced.
   */
  static async listen(options: ControlServerOptions): Promise<ControlServer> {
    ensurePrivateDir(path.dirname(options.socketPath));
    const server = net.createServer({pauseOnConnect: false});
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(options.socketPath, () => {
            server.off('error', reject);
            resolve();
          });
        });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt > 0) throw error;
        const hello = await probeServer(options.socketPath);
        if (hello !== null) throw new AlreadyRunningError(hello === 'unknown' ? null : hello, options.socketPath);
        removeFile(options.socketPath);
      }
    }
    // The directory is private already; the socket mode says the same to anyone who looks.
    chmodSync(options.socketPath, 0o600);
    return new ControlServer(server, options);
  }

  /** Number of clients connected now (for tests and diagnostics). */
  get clientCount(): number {
    return this.connections.size;
  }

  /** Stops listening, flushes what each client is owed, and removes the socket file. */
  async close(): Promise<void> {
    this.isClosing = true;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const connection of this.connections) connection.end();
      // A client that does not read its last events must not keep us alive.
      setTimeout(() => {
        for (const connection of this.connections) connection.destroy();
        resolve();
      }, 1000).unref();
    });
    removeFile(this.options.socketPath);
  }
}

function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    // Already gone: someone else cleaned up, which is what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
