import { ActionError } from '../actions/errors.js';

/**
 * A record that cannot be ingested. `index` is the record's position (0-based) in its input;
 * `line` the line of the file when it has lines (NDJSON, CSV); `recordId` its id when it has one.
 */
export class ParseError extends ActionError {
  constructor(
    readonly index: number,
    readonly field: string,
    readonly problem: string,
    readonly line?: number,
    readonly recordId?: string,
  ) {
    const where = [line === undefined ? null : `line ${line}`, recordId === undefined ? null : `id ${recordId}`].filter(Boolean).join(', ');
    super(400, `record ${index}${where === '' ? '' : ` (${where})`}: ${field}: ${problem}`);
  }
}

/** Input in none of the shapes Riskdesk reads: says what it saw and what would work. */
export class UnknownShapeError extends ActionError {
  constructor(readonly seen: string) {
    super(400, `not a sign-in log Riskdesk knows: ${seen} — supported: Graph signIn, Sentinel SigninLogs, Azure Monitor diagnostic records, portal CSV`);
  }
}
