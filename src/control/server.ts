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
import {chmodSync, linkSync, lstatSync, unlinkSync, type Stats} from 'node:fs';
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
  /** The socket file this server made (device and inode): the one it may remove, and make again when it is gone. */
  private bound: Stats;

  private constructor(
    private server: net.Server,
    readonly options: ControlServerOptions,
  ) {
    this.bound = this.serve(server);
  }

  private serve(server: net.Server): Stats {
    server.on('connection', (socket) => {
      this.accept(socket).catch(() => socket.destroy());
    });
    return lstatSync(this.options.socketPath);
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
    const server = await listenOn(options.socketPath);
    return new ControlServer(server, options);
  }

  /**
   * Makes the socket file again when it has gone (a tmp cleaner, logind
   * wiping /run/user/UID), so the verbs and the next `start` still find this
   * stack. A file someone else has put there since is theirs: left alone.
   * Connections already open are kept; the old listener, reachable by no
   * path, is closed.
   */
  async ensureBound(): Promise<void> {
    if (this.isClosing || statOf(this.options.socketPath) !== undefined) return;
    let server: net.Server;
    try {
      server = await listenOn(this.options.socketPath);
    } catch {
      // Another procdeck took the path meanwhile, or the directory cannot be made: the next check tries again.
      return;
    }
    if (this.isClosing) {
      server.close();
      return;
    }
    this.server.close();
    this.server = server;
    this.bound = this.serve(server);
  }

  /** True while the socket file is the one this server made. */
  private isOwnFile(): boolean {
    const now = statOf(this.options.socketPath);
    return now !== undefined && now.dev === this.bound.dev && now.ino === this.bound.ino;
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
    // Another stack may have made its own socket here after ours was deleted: that one is not ours to remove.
    if (this.isOwnFile()) removeFile(this.options.socketPath);
  }
}

/**
 * Listens on `socketPath` (directory made 0700); a socket file nobody
 * answers on is replaced. The socket is bound under a name of its own and
 * then hard-linked to `socketPath`: the link fails if a file is there, so two
 * procdecks starting at once cannot both take the path; and libuv, which
 * unlinks the bound name when the server closes, removes only that name,
 * never a socket another procdeck has put at `socketPath` since.
 */
async function listenOn(socketPath: string): Promise<net.Server> {
  ensurePrivateDir(path.dirname(socketPath));
  const bindPath = `${socketPath}.${process.pid}.bind`;
  removeFile(bindPath);
  const server = net.createServer({pauseOnConnect: false});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bindPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The directory is private already; the socket mode says the same to anyone who looks.
  chmodSync(bindPath, 0o600);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(bindPath, socketPath);
        return server;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
        const hello = await probeServer(socketPath);
        if (hello !== null) throw new AlreadyRunningError(hello === 'unknown' ? null : hello, socketPath);
        removeFile(socketPath);
      }
    }
  } catch (error) {
    server.close();
    throw error;
  } finally {
    removeFile(bindPath);
  }
}

function statOf(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    // Gone (ENOENT), or its directory is (ENOTDIR): nothing there.
    return undefined;
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
