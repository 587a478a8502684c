/** 128 + SIGPIPE: what a shell reports for `yes | head -1`. */
export const EXIT_CLOSED_PIPE = 141;

/**
 * `keywarden holder list | head -1`: once `head` has read its line it closes the pipe, and the
 * next write fails with EPIPE. Node ignores SIGPIPE, so without this the write error surfaces as
 * an unhandled 'error' event with a stack trace. Like coreutils, stop quietly: nobody is reading.
 * A command prints after its transaction has committed (or rolled back): only printing is cut
 * short.
 */
export function exitQuietlyWhenReaderLeaves(
  stream: NodeJS.WritableStream,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      exit(EXIT_CLOSED_PIPE);
      return;
    }
    throw error;
  });
}
