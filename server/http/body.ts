/**
 * Request bodies read within a limit, and answered early without losing the answer: the JSON API's
 * and the portal's forms alike.
 */
import type { IncomingMessage } from 'node:http';
import { drainAfterEarlyAnswer } from './linger';

export { drainAfterEarlyAnswer };

/** The client closed the connection before its request was read: nobody is left to answer. */
export class ClientGone extends Error {
  override name = 'ClientGone';
}

/**
 * The request's body, or null as soon as it passes `max` bytes (the rest is left unread). Read with
 * events, not `for await`: leaving an async iteration early destroys the request and its socket,
 * and with them the answer the client should still read.
 */
export function readAtMost(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        done();
        req.pause();
        return resolve(null);
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks));
    };
    const onClose = (e?: Error) => {
      done();
      reject(new ClientGone(e?.message ?? 'aborted'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
  });
}
