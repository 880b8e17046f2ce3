/** A history file (metrics.json) that cannot be read or written safely; the message names the file. */
export class HistoryError extends Error {
  override name = 'HistoryError';
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.file = file;
  }
}
