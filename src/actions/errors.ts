/** A request the domain refuses, with the HTTP status it maps to and a message that names the problem. */
export class ActionError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413 | 422 | 429,
    message: string,
  ) {
    super(message);
  }
}
