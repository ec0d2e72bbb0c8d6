import type { TimelineDay } from '../../src/queries/risk-events.js';

// The detection timeline: an inline SVG bar chart by day, active events at the foot of each bar and
// closed ones above. Colours are SVG presentation attributes, which the CSP allows (no style="").

const BAR = 10;
const HEIGHT = 100;
const ACTIVE_FILL = '#dc2626';
const CLOSED_FILL = '#94a3b8';

function plural(n: number, word: string): string {
  return `${n} ${word}`;
}

export function DetectionTimeline({ days, label }: { days: TimelineDay[]; label: string }) {
  const max = Math.max(1, ...days.map((d) => d.active + d.closed));
  const scale = (n: number) => (n / max) * (HEIGHT - 2);
  const total = days.reduce((sum, d) => sum + d.active + d.closed, 0);
  return (
    <figure class="rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      <figcaption class="mb-2 flex flex-wrap items-center gap-4 text-sm">
        <span class="font-medium">{label}</span>
        <span class="flex items-center gap-1 text-xs">
          <svg width="10" height="10" aria-hidden="true">
            <rect width="10" height="10" fill={ACTIVE_FILL} />
          </svg>
          Active
        </span>
        <span class="flex items-center gap-1 text-xs">
          <svg width="10" height="10" aria-hidden="true">
            <rect width="10" height="10" fill={CLOSED_FILL} />
          </svg>
          Closed
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${Math.max(days.length, 1) * BAR} ${HEIGHT}`}
        preserveAspectRatio="none"
        class="h-32 w-full"
        role="img"
        aria-label={`${label}: ${total} events over ${days.length} days; the table below has the numbers`}
        data-testid="timeline"
      >
        <line x1="0" y1={HEIGHT - 0.5} x2={days.length * BAR} y2={HEIGHT - 0.5} stroke="#cbd5e1" stroke-width="1" vector-effect="non-scaling-stroke" />
        {days.map((d, i) => {
          const activeHeight = scale(d.active);
          const closedHeight = scale(d.closed);
          return (
            <g data-day={d.day}>
              <title>{`${d.day}: ${plural(d.active, 'active')}, ${plural(d.closed, 'closed')}`}</title>
              {/* A transparent full-height target, so the tooltip shows on empty days too. */}
              <rect x={i * BAR} y="0" width={BAR} height={HEIGHT} fill="transparent" />
              {d.active > 0 ? <rect x={i * BAR + 1} y={HEIGHT - activeHeight} width={BAR - 2} height={activeHeight} fill={ACTIVE_FILL} data-series="active" /> : null}
              {d.closed > 0 ? <rect x={i * BAR + 1} y={HEIGHT - activeHeight - closedHeight} width={BAR - 2} height={closedHeight} fill={CLOSED_FILL} data-series="closed" /> : null}
            </g>
          );
        })}
      </svg>
      {days.length > 0 ? (
        <p class="mt-1 flex justify-between text-xs text-slate-600 dark:text-slate-400">
          <span>{days[0].day}</span>
          <span>{days[days.length - 1].day}</span>
        </p>
      ) : null}
      <details class="mt-2 text-sm">
        <summary class="cursor-pointer text-blue-700 dark:text-blue-400">The timeline as a table</summary>
        <table class="mt-2 text-left text-xs">
          <caption class="sr-only">{label} by day</caption>
          <thead>
            <tr>
              <th scope="col" class="pr-4">Day</th>
              <th scope="col" class="pr-4">Active</th>
              <th scope="col">Closed</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr>
                <th scope="row" class="pr-4 font-normal">{d.day}</th>
                <td class="pr-4">{d.active}</td>
                <td>{d.closed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
