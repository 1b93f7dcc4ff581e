import {describe, expect, it} from 'vitest';
import {expandPort, mentionsPort} from '../../../src/config/port-reference.js';

describe('port references (a shell\'s reading of PORT)', () => {
  it.each([
    ['node server.js --port $PORT', true],
    ['bin/rails server -p ${PORT}', true],
    ['node server.js --port ${PORT:-3000}', true],
    ['cd packages/api && PORT=${PORT-3000} npm run dev', true],
    ['serve ${PORT:=8080} ${PORT:?no port} ${PORT:+x}', true],
    ['serve --port ${PORT:-${FALLBACK}}', true],
    ['echo $PORTAL ${PORTAL} ${PORT_X} $PORT_X', false],
    ['echo PORT ${#PORT} \\$ PORT', false],
  ])('%s: %s', (text, expected) => {
    expect(mentionsPort(text)).toBe(expected);
  });

  it('expands every reference to the port, the defaulting forms too (PORT is always set), and nothing else', () => {
    expect(expandPort('http://localhost:$PORT/health?p=${PORT}&x=$PORTAL', 5100)).toBe('http://localhost:5100/health?p=5100&x=$PORTAL');
    expect(expandPort('http://localhost:${PORT:-3000}/up ${PORT:-${X}} ${PORT_X}', 5100)).toBe('http://localhost:5100/up 5100 ${PORT_X}');
  });
});
