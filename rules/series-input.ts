/** promtool's `input_series` as a SeriesQuerier, read with Vigil's promqltest notation parser. */
import { MemoryQuerier } from '../packages/server/src/promql/index.ts';
import { parseSeries, parseValues } from '../packages/server/src/promql/promqltest-parse.ts';

export interface SeriesInput {
  series: string;
  values: string;
}

export function seriesQuerier(inputs: SeriesInput[], intervalMs: number): MemoryQuerier {
  const querier = new MemoryQuerier();
  for (const input of inputs) {
    const { values } = parseValues(String(input.values));
    const samples = values.flatMap((v, i) => (v === undefined ? [] : [{ t: i * intervalMs, v }]));
    querier.add(parseSeries(input.series).labels, samples);
  }
  return querier;
}
