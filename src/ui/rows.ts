/** The process list's rows, derived from a stack snapshot. */
import type {InstanceSnapshot, StackSnapshot} from '../core/api.js';

export type ListRow =
  /** The merged view of every log. */
  | {key: 'all'; kind: 'all'}
  | {key: string; kind: 'instance'; instance: InstanceSnapshot; typeIndex: number}
  /** A process type scaled to 0: listed so that `+` can bring it back. */
  | {key: string; kind: 'type'; type: string; typeIndex: number};

/** A type at 0's row key: `type:web` (an instance's is its id, `web.1`). */
const typeKeyPrefix = 'type:';

/** `all` first, then each type's instances in Procfile order; a type at 0 gets one row. */
export function buildListRows(stack: StackSnapshot): ListRow[] {
  const rows: ListRow[] = [{key: 'all', kind: 'all'}];
  const byType = new Map<string, InstanceSnapshot[]>();
  for (const instance of stack.instances) {
    const list = byType.get(instance.type) ?? [];
    list.push(instance);
    byType.set(instance.type, list);
  }
  stack.types.forEach((type, typeIndex) => {
    const instances = byType.get(type.name) ?? [];
    byType.delete(type.name);
    if (instances.length === 0) {
      rows.push({key: `${typeKeyPrefix}${type.name}`, kind: 'type', type: type.name, typeIndex});
      return;
    }
    instances.sort((a, b) => a.index - b.index);
    for (const instance of instances) rows.push({key: instance.id, kind: 'instance', instance, typeIndex});
  });
  // Instances of a type the snapshot does not list (should not happen) still show.
  for (const instances of byType.values()) {
    for (const instance of instances) rows.push({key: instance.id, kind: 'instance', instance, typeIndex: stack.types.length});
  }
  return rows;
}

/** The name a row shows in the list. */
export function nameOfRow(row: ListRow): string {
  switch (row.kind) {
    case 'all':
      return 'all';
    case 'instance':
      return row.instance.id;
    case 'type':
      return row.type;
  }
}

/** Whether an instance counts as up in the header's running/total. */
export function isUp(instance: InstanceSnapshot): boolean {
  return instance.state.status === 'running' || instance.state.status === 'starting';
}

/** Header totals: instances up, instances listed, summed CPU and RSS. */
export function summarizeStack(stack: StackSnapshot): {up: number; total: number; cpuPercent: number; rssBytes: number} {
  let up = 0;
  let cpuPercent = 0;
  let rssBytes = 0;
  for (const instance of stack.instances) {
    if (isUp(instance)) up += 1;
    cpuPercent += instance.cpuPercent;
    rssBytes += instance.rssBytes;
  }
  return {up, total: stack.instances.length, cpuPercent, rssBytes};
}

/** The process type a row belongs to (none for `all`). */
export function typeOfRow(row: ListRow): string | null {
  return row.kind === 'instance' ? row.instance.type : row.kind === 'type' ? row.type : null;
}

/** The process type of a row's key, for a row that may be gone: `web.2` and `type:web` are web's. */
export function typeOfKey(key: string): string | null {
  if (key === 'all') return null;
  if (key.startsWith(typeKeyPrefix)) return key.slice(typeKeyPrefix.length);
  const dot = key.lastIndexOf('.');
  return dot > 0 ? key.slice(0, dot) : null;
}
