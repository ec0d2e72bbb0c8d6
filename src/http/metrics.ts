import type { MiddlewareHandler } from 'hono';

// In-process counters for GET /metrics (Prometheus text format). Per instance: scrape each one.

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class Metrics {
  private requests = new Map<string, number>();
  private bucketCounts = new Array<number>(BUCKETS.length).fill(0);
  private durationSum = 0;
  private durationCount = 0;

  observe(method: string, status: number, seconds: number): void {
    const key = `${method}|${Math.floor(status / 100)}xx`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) this.bucketCounts[i] += 1;
    this.durationSum += seconds;
    this.durationCount += 1;
  }

  render(databaseUp: boolean): string {
    const lines = [
      '# HELP riskdesk_http_requests_total HTTP requests answered, by method and status class.',
      '# TYPE riskdesk_http_requests_total counter',
    ];
    for (const [key, count] of this.requests) {
      const [method, status] = key.split('|');
      lines.push(`riskdesk_http_requests_total{method="${method}",status="${status}"} ${count}`);
    }
    lines.push(
      '# HELP riskdesk_http_request_duration_seconds Time to answer HTTP requests.',
      '# TYPE riskdesk_http_request_duration_seconds histogram',
    );
    BUCKETS.forEach((bound, i) => lines.push(`riskdesk_http_request_duration_seconds_bucket{le="${bound}"} ${this.bucketCounts[i]}`));
    lines.push(
      `riskdesk_http_request_duration_seconds_bucket{le="+Inf"} ${this.durationCount}`,
      `riskdesk_http_request_duration_seconds_sum ${this.durationSum}`,
      `riskdesk_http_request_duration_seconds_count ${this.durationCount}`,
      '# HELP riskdesk_database_up Whether the database answered the last scrape.',
      '# TYPE riskdesk_database_up gauge',
      `riskdesk_database_up ${databaseUp ? 1 : 0}`,
      '# HELP process_resident_memory_bytes Resident memory of the server process.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
      '# HELP process_cpu_seconds_total User and system CPU time the server process has spent.',
      '# TYPE process_cpu_seconds_total counter',
      `process_cpu_seconds_total ${cpuSeconds()}`,
    );
    return `${lines.join('\n')}\n`;
  }
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export function measureRequests(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    await next();
    metrics.observe(c.req.method, c.res.status, (performance.now() - start) / 1000);
  };
}
