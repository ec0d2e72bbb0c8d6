import { ActionError } from '../actions/errors.js';

/**
 * A record that cannot be ingested. `index` is the record's position (0-based) in its input;
 * `line` the line of the file when it has lines (NDJSON, CSV).
 */
export class ParseError extends ActionError {
  constructor(
    readonly index: number,
    readonly field: string,
    readonly problem: string,
    readonly line?: number,
  ) {
    super(400, `record ${index}${line === undefined ? '' : ` (line ${line})`}: ${field}: ${problem}`);
  }
}
