// The one error every reader throws for a file it cannot read, in its own file so readers and the
// dispatcher (index.ts) both import it without importing each other.

/** A loss file that cannot be read; the message is one line, `"<fileName>: <reason>"`. */
export class ReadFailure extends Error {
  override name = 'ReadFailure';
}
