import {describe, expect, it} from 'vitest';
import {ListeningPorts} from '../../../src/core/ports.js';

/** A fake machine: the socket count and the ports, and how often the tables were read. */
function fakeMachine() {
  const machine = {count: '3/1', ports: new Set([5000]), now: 0, reads: 0};
  const read = {
    ports: () => {
      machine.reads += 1;
      return new Set(machine.ports);
    },
    socketCount: () => machine.count,
    now: () => machine.now,
  };
  return {machine, listening: new ListeningPorts(1000, read)};
}

describe('ListeningPorts', () => {
  it('reads the socket tables once while no socket is opened or closed', () => {
    const {machine, listening} = fakeMachine();
    expect(listening.isListening(5000)).toBe(true);
    expect(listening.isListening(5100)).toBe(false);
    machine.now = 900;
    expect(listening.isListening(5200)).toBe(false);
    expect(machine.reads).toBe(1);
  });

  it('reads them again when the socket count changes: a new listener is seen at once', () => {
    const {machine, listening} = fakeMachine();
    expect(listening.isListening(5100)).toBe(false);
    machine.ports.add(5100);
    machine.count = '4/1';
    expect(listening.isListening(5100)).toBe(true);
    expect(machine.reads).toBe(2);
  });

  it('reads them again after maxAgeMs, when a close and an open kept the count', () => {
    const {machine, listening} = fakeMachine();
    expect(listening.isListening(5000)).toBe(true);
    machine.ports = new Set([5100]);
    machine.now = 1001;
    expect(listening.isListening(5000)).toBe(false);
    expect(listening.isListening(5100)).toBe(true);
    expect(machine.reads).toBe(2);
  });

  it('reads them every time without /proc (no socket count to compare)', () => {
    const {machine, listening} = fakeMachine();
    machine.count = '';
    listening.isListening(5000);
    listening.isListening(5000);
    expect(machine.reads).toBe(2);
  });
});
