/**
 * A run as a speedscope file (https://www.speedscope.app/file-format-schema.json), evented
 * profiles: one profile per lane (see lanes.ts), each a balanced sequence of open (`O`) and close
 * (`C`) events in time order, as speedscope requires; frames are shared and identified by span
 * name and call site. Spans still open at the end of the run close at the run's last time.
 * Values are nanoseconds since the run's start.
 */
import { Profile, spanLabel } from '../model';
import { assignLanes } from './lanes';

export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json';

interface Frame {
  name: string;
  file?: string;
  line?: number;
}

/** The speedscope JSON of a run. `exporter` names the tool and version in the file. */
export function exportSpeedscope(profile: Profile, options: { exporter?: string } = {}): string {
  const layout = assignLanes(profile);
  const frames: Frame[] = [];
  const frameIndex = new Map<string, number>();
  const frameOf = (index: number): number => {
    const span = profile.spans[index];
    // A flame chart shows single spans: by their names as written, as the waterfall does.
    const name = spanLabel(span);
    const key = `${name}\u0000${span.file ?? ''}\u0000${span.line ?? ''}`;
    let frame = frameIndex.get(key);
    if (frame === undefined) {
      frame = frames.length;
      frames.push({ name, file: span.file, line: span.line });
      frameIndex.set(key, frame);
    }
    return frame;
  };
  const startValue = profile.spans.length ? profile.minTime : 0;
  const endValue = Math.max(startValue, profile.maxTime);
  const profiles = layout.lanes.map((lane) => {
    const events: string[] = [];
    for (const code of lane.events) {
      const open = code >= 0;
      const index = open ? code : ~code;
      const span = profile.spans[index];
      const at = open ? span.start : layout.end[index];
      events.push(`{"type":"${open ? 'O' : 'C'}","frame":${frameOf(index)},"at":${Math.round(at)}}`);
    }
    return (
      `{"type":"evented","name":${JSON.stringify(lane.name)},"unit":"nanoseconds",` +
      `"startValue":${Math.round(startValue)},"endValue":${Math.round(endValue)},"events":[\n${events.join(',\n')}\n]}`
    );
  });
  const head =
    `{"$schema":"${SPEEDSCOPE_SCHEMA}","name":${JSON.stringify(profile.run.name)},` +
    `"exporter":${JSON.stringify(options.exporter ?? 'agentprof')},"activeProfileIndex":0,`;
  return `${head}"shared":{"frames":${JSON.stringify(frames)}},\n"profiles":[\n${profiles.join(',\n')}\n]}\n`;
}
