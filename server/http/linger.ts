/**
 * Lingering close: answering a request before its body is read, then closing the connection so
 * that the client can still read the answer.
 *
 * A server that closes a connection while the client is still sending makes the client's TCP stack
 * receive a reset, which may discard the answer before the client read it; Node's fetch (undici)
 * then reports `EPIPE` or `ECONNRESET` instead of the 413. RFC 9112 §9.6 ("Tear-down") describes
 * the cure: close in stages — half-close the writing side after the answer, keep reading (and
 * discarding) until the client closes, then close fully. nginx does the same (`lingering_close`,
 * bounded by `lingering_time` and `lingering_timeout`, https://nginx.org/en/docs/http/ngx_http_core_module.html#lingering_close).
 *
 * The drain is bounded so it cannot be abused to keep a connection or the bandwidth busy: at most
 * `maxBytes` more body bytes, at most `idleMs` between two chunks, at most `maxMs` in all; past any
 * of these the connection is cut (a client that sends that much more after being told 413 is
 * not one whose reading of the answer matters).
 */
import type { IncomingMessage } from 'node:http';

export interface LingerLimits {
  /** Body bytes read and discarded after the early answer, at most. */
  maxBytes: number;
  /** Longest pause between two chunks of the rest of the body (ms). */
  idleMs: number;
  /** Longest the whole drain may take (ms). */
  maxMs: number;
}

/** 16 MiB, 5 s between chunks (nginx's lingering_timeout), 30 s in all (nginx's lingering_time). */
export const LINGER_LIMITS: LingerLimits = { maxBytes: 16 * 1024 * 1024, idleMs: 5000, maxMs: 30000 };

/**
 * Called when a request is answered (with `Connection: close`) before its body was read: reads the
 * rest of the body into nothing, within `limits`, and makes the connection's close a half-close so
 * the answer reaches the client first. Node closes a `Connection: close` connection with
 * `socket.destroySoon()` once the answer is written (lib/_http_server.js, `resOnFinish`), which
 * ends the reading side too; on this one socket that becomes `end()`, and the socket is destroyed
 * when the client closes its side (the HTTP server's sockets allow half-open connections) or a
 * limit is reached.
 */
export function drainAfterEarlyAnswer(req: IncomingMessage, limits: LingerLimits = LINGER_LIMITS): void {
  const socket = req.socket;
  let drained = 0;
  const cut = () => socket.destroy();
  const total = setTimeout(cut, limits.maxMs);
  let idle = setTimeout(cut, limits.idleMs);
  socket.once('close', () => {
    clearTimeout(total);
    clearTimeout(idle);
  });
  (socket as { destroySoon?: () => void }).destroySoon = () => {
    if (!socket.writableEnded) socket.end();
  };
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > limits.maxBytes) return cut();
    clearTimeout(idle);
    idle = setTimeout(cut, limits.idleMs);
  });
  // once the whole body is in, the last chunk's idle timer gives the client idleMs to read the
  // answer and close its side
  req.on('error', () => undefined);
  req.resume();
}
