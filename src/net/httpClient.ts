import { request, type Dispatcher } from 'undici';
import { DbTicketsError } from '../core/errors';
import { checkTarget, saveAtomically } from '../files/atomicSave';
import { toTransportError } from './transportError';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined by ", ". */
  headers: Record<string, string>;
  text: string;
}

/** An HTTP answer other than 2xx to a plain download, or a 2xx that `DownloadOptions.notFile` says is not the file. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
    /** Lower-case names. */
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

export interface TransferOptions {
  signal?: AbortSignal;
  /** For `send`: the whole exchange; for `download`: the longest silence while receiving. */
  timeoutMs: number;
}

export interface DownloadOptions extends TransferOptions {
  onProgress?: (bytes: number, total: number | undefined) => void;
  /** Request headers (an API's authentication); a plain link needs none. */
  headers?: Record<string, string>;
  /**
   * Whether a 2xx answer is not the file but a message (an API that reports errors with 200 and a JSON body): then
   * nothing is written and its text comes back as an `HttpStatusError`.
   */
  notFile?: (headers: Record<string, string>) => boolean;
}

/** One exchange at a time over a shared dispatcher; no retries here (the caller knows which requests are safe). */
export class HttpClient {
  constructor(private readonly dispatcher: Dispatcher) {}

  async send(req: HttpRequest, options: TransferOptions): Promise<HttpResponse> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      const response = await request(req.url, { dispatcher: this.dispatcher, method: req.method, headers: req.headers, body: req.body, signal });
      const text = await response.body.text();
      return { status: response.statusCode, headers: flatHeaders(response.headers), text };
    } catch (error) {
      throw toTransportError(error, timeout.aborted, options.signal?.aborted ?? false);
    }
  }

  /**
   * Streams a GET response into `path` through a temporary file beside it, renamed when complete (`saveAtomically`):
   * a failed or cancelled download leaves no partial file under the real name and an existing file as it was.
   * Filesystem failures are DbTicketsErrors saying what to do. Returns the bytes written.
   */
  async download(url: string, path: string, options: DownloadOptions): Promise<number> {
    await checkTarget(path, []);
    try {
      const response = await request(url, { dispatcher: this.dispatcher, method: 'GET', headers: options.headers, signal: options.signal, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
      const headers = flatHeaders(response.headers);
      if (response.statusCode < 200 || response.statusCode > 299 || options.notFile?.(headers)) {
        throw new HttpStatusError(response.statusCode, (await response.body.text()).slice(0, 2_000), headers);
      }
      const length = Number(response.headers['content-length']);
      const total = Number.isFinite(length) && length > 0 ? length : undefined;
      try {
        const { bytes } = await saveAtomically(response.body, path, { signal: options.signal, onBytes: (bytes) => options.onProgress?.(bytes, total) });
        return bytes;
      } catch (error) {
        if (!response.body.destroyed) await response.body.dump().catch(() => undefined);
        throw error;
      }
    } catch (error) {
      if (error instanceof HttpStatusError || error instanceof DbTicketsError) throw error;
      throw toTransportError(error, false, options.signal?.aborted ?? false);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

/** Response headers with lower-case names, repeated ones joined by ", ". */
export function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

