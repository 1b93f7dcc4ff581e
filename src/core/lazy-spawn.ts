/**
 * execa's spawner, loaded when the processes are about to start rather than
 * when procdeck starts: execa and what it imports take ~25 ms to load, which
 * the UI's first frame need not wait for.
 *
 *   const spawner = new LazySpawner();
 *   const supervisor = new Supervisor(stack, {...options, spawn: spawner.spawn});
 *   await spawner.load(); // before supervisor.start()
 */
import type {Spawner} from './spawn.js';

export class LazySpawner {
  #spawn: Spawner | undefined;
  #loading: Promise<void> | undefined;

  /** Loads execa; settles once `spawn` can be called. */
  load(): Promise<void> {
    this.#loading ??= import('./spawn.js').then((module) => {
      this.#spawn = module.spawnChild;
    });
    return this.#loading;
  }

  readonly spawn: Spawner = (request, hooks) => {
    if (this.#spawn === undefined) throw new Error('LazySpawner: spawn before load() settled');
    return this.#spawn(request, hooks);
  };
}
