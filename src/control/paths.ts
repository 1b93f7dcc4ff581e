/**
 * Where a project's running procdeck can be found: its control socket and
 * state file in a per-user runtime directory, its logs in the state home.
 *
 *   const paths = projectPaths(projectDirFor(options.procfile), process.env);
 *   paths.socket   // /run/user/1000/procdeck/3f2a9c0d1e4b5a67.sock
 *
 * One project is one directory (the Procfile's, symlinks resolved), named by
 * a hash of its absolute path, so `start` and every control verb agree on it
 * whichever subcommand and flags they were given.
 */
import {createHash} from 'node:crypto';
import {chmodSync, lstatSync, mkdirSync, realpathSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import path from 'node:path';
import {UsageError} from '../config/errors.js';
import {systemReason} from '../output/make-directory.js';

export interface ProjectPaths {
  /** Absolute project directory (the Procfile's). */
  projectDir: string;
  /** 16 hex digits naming the project in the directories below. */
  hash: string;
  /** Per-user directory for sockets and state files (mode 0700). */
  runtimeDir: string;
  socket: string;
  /** Records the running process groups, for recovery after a hard kill. */
  stateFile: string;
  /** `$XDG_STATE_HOME/procdeck/<hash>`: daemon output and default log directory. */
  stateDir: string;
  /** Default log directory of the daemon. */
  defaultLogDir: string;
  /** The daemon's own stdout and stderr (its processes' logs go to the log directory). */
  daemonOutput: string;
}

/** The project directory for a `-f PATH` (or `./Procfile`): the Procfile's directory, symlinks resolved. */
export function projectDirFor(procfile: string | undefined, cwd: string = process.cwd()): string {
  const dir = path.dirname(path.resolve(cwd, procfile ?? 'Procfile'));
  try {
    return realpathSync(dir);
  } catch {
    // The directory does not exist: nothing can run there, but the name is still well defined.
    return dir;
  }
}

/** Every path procdeck uses for the project in `projectDir`. */
export function projectPaths(projectDir: string, env: NodeJS.ProcessEnv = process.env): ProjectPaths {
  const hash = createHash('sha256').update(projectDir).digest('hex').slice(0, 16);
  const runtimeDir = runtimeDirFor(env);
  const stateHome = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(homedir(), '.local', 'state');
  const stateDir = path.join(stateHome, 'procdeck', hash);
  return {
    projectDir,
    hash,
    runtimeDir,
    socket: path.join(runtimeDir, `${hash}.sock`),
    stateFile: path.join(runtimeDir, `${hash}.state.json`),
    stateDir,
    defaultLogDir: path.join(stateDir, 'logs'),
    daemonOutput: path.join(stateDir, 'daemon.log'),
  };
}

/** `$XDG_RUNTIME_DIR/procdeck`, else `/tmp/procdeck-<uid>`. */
export function runtimeDirFor(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'procdeck');
  return path.join(tmpdir(), `procdeck-${process.getuid?.() ?? 'user'}`);
}

/**
 * Creates a directory only the user may use (mode 0700), or checks an
 * existing one: the runtime directory (in a shared /tmp another user could
 * have made it first to read our sockets) and a project's state directory
 * (its logs may hold secrets). One that is not ours, or is a symlink, is refused.
 */
export function ensurePrivateDir(dir: string, purpose: {what: string; variable: string} = {what: 'the control socket', variable: 'XDG_RUNTIME_DIR'}): void {
  const refuse = (): never => {
    throw new UsageError(`${dir}: not a directory owned by you, refusing to put ${purpose.what} there (remove it, or set ${purpose.variable})`);
  };
  try {
    mkdirSync(dir, {recursive: true, mode: 0o700});
  } catch (error) {
    // EEXIST: a file (or a link to one) is in the way, refused below; ENOTDIR: one is in the way higher up.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') refuse();
    if (code !== 'EEXIST') {
      // A read-only or foreign HOME, say: one line, not an internal error with a stack trace.
      throw new UsageError(`cannot create ${dir} for ${purpose.what}: ${systemReason(error as Error)} (set ${purpose.variable} to a directory you may write to)`);
    }
  }
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) refuse();
  // mkdir's mode is filtered by the umask, and an older directory may be looser.
  if ((stat.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
}

/** ensurePrivateDir's words for a project's state directory (the daemon's logs). */
export const stateDirPurpose = {what: "the stack's logs", variable: 'XDG_STATE_HOME'};
