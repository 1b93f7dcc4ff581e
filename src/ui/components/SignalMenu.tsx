/** `!`: the signals of `menuSignals`, numbered, with the highlighted one sent on Enter. */
import {Box, Text} from 'ink';
import {menuSignals} from '../../core/commands.js';

export function SignalMenu({target, index, width, height}: {target: string; index: number; width: number; height: number}) {
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate-end">{` Send a signal to ${target}'s process group`.padEnd(width)}</Text>
      {menuSignals.map((signal, i) => (
        <Text key={signal} inverse={i === index} wrap="truncate-end">{`${i === index ? '›' : ' '} ${i + 1} ${signal}`}</Text>
      ))}
      <Text dimColor wrap="truncate-end">j/k or 1-9 choose · Enter sends · Esc cancels</Text>
    </Box>
  );
}
