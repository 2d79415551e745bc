import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { type ChartPoint } from './report.interfaces.js';

/** How many voices one way of preloading left ready against the in-flight-limited server. */
export interface ReadyBar {
  way: string;
  ready: number;
  voices: number;
}

/**
 * The README's chart, as SVG: bootstrap time vs N for the module at each concurrency and for the
 * hand-written loops (log–log), beside the voices each way left ready against a server that
 * limits requests in flight. Rendered headless by vega (no canvas: text widths are estimated).
 */
export async function bootstrapChartSvg(
  points: ChartPoint[],
  bars: ReadyBar[],
  captions: { latencyMs: number; maxInFlight: number },
): Promise<string> {
  const voices = [...new Set(points.map((point) => point.voices))];
  // One colour per way in both panels: the bars take the colour of their line.
  const color = { scale: { domain: [...new Set(points.map((point) => point.series))] } };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 12,
    config: { font: 'sans-serif', view: { stroke: null } },
    resolve: { scale: { color: 'shared' } },
    hconcat: [
      {
        title: `Bootstrap time vs voices (fake Hamsa, ${captions.latencyMs} ms per request)`,
        width: 440,
        height: 320,
        data: { values: points },
        mark: { type: 'line', point: true },
        encoding: {
          x: {
            field: 'voices',
            type: 'quantitative',
            scale: { type: 'log' },
            axis: { values: voices, format: 'd' },
            title: 'voices preloaded (N)',
          },
          y: {
            field: 'ms',
            type: 'quantitative',
            scale: { type: 'log' },
            axis: { format: '~s' },
            title: 'time until all are ready (ms, log scale)',
          },
          // Hand-written ways dashed, so that the module at c = 1 shows under the sequential loop.
          strokeDash: {
            condition: { test: 'test(/by hand/, datum.series)', value: [6, 4] },
            value: [1, 0],
          },
          color: {
            ...color,
            field: 'series',
            type: 'nominal',
            title: null,
            legend: { orient: 'bottom', columns: 3, labelLimit: 260 },
          },
        },
      },
      {
        title: `Voices ready, server limited to ${captions.maxInFlight} in flight`,
        width: 240,
        height: 320,
        data: { values: bars },
        encoding: {
          x: {
            field: 'way',
            type: 'nominal',
            title: null,
            sort: null,
            axis: { labelAngle: -20, labelExpr: "replace(datum.label, ' (by hand)', '')" },
          },
          y: {
            field: 'ready',
            type: 'quantitative',
            scale: { domain: [0, Math.max(...bars.map((bar) => bar.voices))] },
            title: `voices ready of ${bars[0]?.voices ?? 0}`,
          },
        },
        layer: [
          { mark: { type: 'bar' }, encoding: { color: { ...color, field: 'way' } } },
          {
            mark: { type: 'text', dy: -8 },
            encoding: { text: { field: 'ready', type: 'quantitative' } },
          },
        ],
      },
    ],
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
