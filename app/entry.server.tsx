import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/components/nonce";
import { loggablePath } from "~/lib/log-path";

const ABORT_DELAY = 5_000;

/**
 * Pages are rendered whole, then sent in one write with their length. No route streams deferred
 * data, so waiting for everything costs nothing in time to first byte that matters here, and a
 * page in one piece is far cheaper to send than a stream of small chunks.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let allReady = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          allReady = true;
          const chunks: Buffer[] = [];
          const page = new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
          });
          page.on("finish", () => {
            clearTimeout(timer);
            // A page that failed because the database went away mid-request: try again shortly.
            if (loadContext.databaseLost) {
              responseStatusCode = 503;
              responseHeaders.set("Retry-After", "5");
            }
            const body = Buffer.concat(chunks);
            responseHeaders.set("Content-Type", "text/html; charset=utf-8");
            responseHeaders.set("Content-Length", String(body.length));
            responseHeaders.set("Cache-Control", "no-store");
            resolve(new Response(body, { headers: responseHeaders, status: responseStatusCode }));
          });
          pipe(page);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (allReady) console.error(error);
        },
      },
    );
    // React starts rendering on the next turn, so every callback above runs after this line.
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}

/** Route data (`.data` requests) is as private as the page it feeds: never kept by a browser or proxy. */
export function handleDataRequest(response: Response): Response {
  response.headers.set("Cache-Control", "no-store");
  return response;
}

export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted) return;
  context.reportError?.(error);
  // Only the error and the path: never a body or query string, which may carry patient data, nor
  // the token of a feed, reset or invitation address.
  const path = loggablePath(new URL(request.url).pathname);
  console.error(`[portal] error on ${request.method} ${path}:`, error instanceof Error ? error.stack : error);
}
