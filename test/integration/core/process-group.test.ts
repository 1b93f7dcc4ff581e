import {spawn} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {terminateGroup} from '../../../src/core/process-group.js';
import {readProcessEntry} from '../../../src/core/stats/process-table.js';
import {isAlive, waitFor} from '../../helpers/wait-for.js';

describe('terminateGroup', () => {
  // Regression: a member that called setsid after the tree was scanned was out
  // of reach of kill(-pgid) yet still counted as a live member, so the stop
  // polled forever. It must be signalled by pid, like any escapee.
  it('ends a member that leaves the group after it was seen, instead of waiting for it forever', async () => {
    const leader = spawn('sh', ['-c', `trap '' TERM; sh -c 'trap "" TERM; echo $$; sleep 0.3; exec setsid sleep 100' & wait`], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const memberPid = Number(await new Promise<string>((resolve) => leader.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString()))));
    const member = await waitFor(() => readProcessEntry(memberPid) ?? undefined);
    expect(member.pgid).toBe(leader.pid);
    try {
      const {escalated} = await terminateGroup({
        pgid: leader.pid!,
        signal: 'SIGTERM',
        timeoutMs: 1000,
        members: [{pid: memberPid, startTime: member.startTime}],
      });
      expect(escalated).toBe(true);
      expect(isAlive(memberPid)).toBe(false);
      expect(isAlive(leader.pid!)).toBe(false);
    } finally {
      for (const pid of [memberPid, -leader.pid!]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone: what the test wants.
        }
      }
    }
  });
});
