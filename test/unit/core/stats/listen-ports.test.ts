import {describe, expect, it} from 'vitest';
import {parseListenSockets} from '../../../../src/core/stats/listen-ports.js';

const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41234 1 0000000000000000 100 0 0 10 0
   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1717 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1388 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 41300 1 0000000000000000 20 4 30 10 -1
   3: 0100007F:A2C4 0100007F:1388 06 00000000:00000000 03:00000a1f 00000000     0        0 0 3 0000000000000000
`;
const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0BB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 52000 1 0000000000000000 100 0 0 10 0
`;

describe('parseListenSockets', () => {
  it('keeps only LISTEN sockets, by inode, from tcp and tcp6', () => {
    const sockets = parseListenSockets(tcp6, parseListenSockets(tcp));
    expect([...sockets]).toEqual([
      [41234, 5000],
      [1717, 22],
      [52000, 3000],
    ]);
  });

  it('reads nothing from a header-only or empty file', () => {
    expect(parseListenSockets(tcp.split('\n')[0]!).size).toBe(0);
    expect(parseListenSockets('').size).toBe(0);
  });
});
