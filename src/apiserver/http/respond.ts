// Writing answers: JSON bodies, v1 Status errors for every non-2xx, and `Warning:`
// headers (k8s.io/apiserver/pkg/endpoints/filters/warning.go: `299 - "<text>"`).
import type { ServerResponse } from 'node:http';
import { isStatusError, newInternalError, type StatusError } from '../../api/errors.js';
import type { Status } from '../../api/types/index.js';

/** `299 - "text"` with the text escaped as warning.go does (quotes and backslashes). */
export function warningHeader(text: string): string {
  const escaped = text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
  return `299 - "${escaped}"`;
}

export function setWarnings(res: ServerResponse, warnings: readonly string[]): void {
  if (warnings.length > 0 && !res.headersSent) {
    res.setHeader('Warning', [...new Set(warnings)].map(warningHeader));
  }
}

export function writeJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

/** Any thrown value as the Status kube-apiserver would send (500 for non-StatusErrors). */
export function toStatusError(e: unknown): StatusError {
  if (isStatusError(e)) {
    return e;
  }
  return newInternalError(e instanceof Error ? e.message : String(e));
}

export function writeStatus(res: ServerResponse, e: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const err = toStatusError(e);
  const status: Status = err.status;
  writeJson(res, err.code, status);
}

export function successStatus(details?: Status['details']): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (details) {
    s.details = details;
  }
  return s;
}
