/**
 * Each instance's unfinished lines: what a stream has begun printing but not
 * yet ended with a newline (LineSplitter.unfinished), kept by the engine and
 * mirrored by `attach` so a pane can show a prompt before its newline comes.
 */
import type {InstanceId, UnfinishedLine} from './api.js';

type Stream = UnfinishedLine['stream'];

export class UnfinishedLines {
  private readonly byId = new Map<InstanceId, Record<Stream, string>>();

  /** Records one stream's text ('' for none); false when it was that already. */
  set(id: InstanceId, stream: Stream, text: string): boolean {
    let streams = this.byId.get(id);
    if (streams === undefined) {
      if (text === '') return false;
      streams = {stdout: '', stderr: ''};
      this.byId.set(id, streams);
    }
    if (streams[stream] === text) return false;
    streams[stream] = text;
    if (streams.stdout === '' && streams.stderr === '') this.byId.delete(id);
    return true;
  }

  /** Replaces an instance's lines with `lines` (a mirror's update); false when nothing changed. */
  replace(id: InstanceId, lines: readonly UnfinishedLine[]): boolean {
    const text = (stream: Stream) => lines.find((line) => line.stream === stream)?.text ?? '';
    const isStdoutChanged = this.set(id, 'stdout', text('stdout'));
    const isStderrChanged = this.set(id, 'stderr', text('stderr'));
    return isStdoutChanged || isStderrChanged;
  }

  /** stdout's line, then stderr's, for the streams that have one. */
  of(id: InstanceId): UnfinishedLine[] {
    const streams = this.byId.get(id);
    if (streams === undefined) return [];
    const lines: UnfinishedLine[] = [];
    if (streams.stdout !== '') lines.push({stream: 'stdout', text: streams.stdout});
    if (streams.stderr !== '') lines.push({stream: 'stderr', text: streams.stderr});
    return lines;
  }

  /** Instances that have any. */
  ids(): InstanceId[] {
    return [...this.byId.keys()];
  }

  /** Drops an instance's lines (it was scaled away); false when it had none. */
  forget(id: InstanceId): boolean {
    return this.byId.delete(id);
  }
}
