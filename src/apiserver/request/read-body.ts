// Reads a request body up to a limit. kube-apiserver caps bodies at 3 MiB
// (genericapiserver Config.MaxRequestBodyBytes = 3 * 1024 * 1024) and answers 413 with
// `Request entity too large: limit is 3145728` (endpoints/handlers/rest.go limitedReadBody).
import type { IncomingMessage } from 'node:http';
import { newRequestEntityTooLarge } from '../../api/errors.js';

export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      // Drain without buffering so the answer can still be written on this connection.
      req.resume();
      reject(newRequestEntityTooLarge(`limit is ${limit}`));
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Uint8Array) => {
      if (tooLarge) {
        return;
      }
      size += c.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        reject(newRequestEntityTooLarge(`limit is ${limit}`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!tooLarge) {
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', (e) => reject(e));
  });
}
