import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

export interface PageProbe {
  status: number;
  /** Median of the `X-Sql-Count` header over a few plain views (the server runs with SQL_COUNT=1). */
  sqlPerView: number | null;
  /** Median time of those plain views, one at a time: the page's cost without queueing. */
  viewMs: number;
  /** Every /build/*.js the page loads (preloads, imports and their static imports), gzipped one by one. */
  jsGzipBytes: number;
  jsRawBytes: number;
  jsFiles: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** `assets`: a snapshot of public/ (see snapshotClientBuild), read first; the server otherwise. */
export async function probePage(
  baseUrl: string,
  pagePath: string,
  headers: Record<string, string>,
  views = 5,
  assets?: string,
): Promise<PageProbe> {
  const counts: number[] = [];
  const times: number[] = [];
  let html = "";
  let status = 0;
  for (let i = 0, retries = 0; i < views; i++) {
    const started = performance.now();
    const res = await fetch(`${baseUrl}${pagePath}`, { headers, redirect: "manual" });
    status = res.status;
    html = await res.text();
    times.push(performance.now() - started);
    // A 503 is the server's database gate, closed for a moment under load: wait and look again.
    if (status === 503 && retries++ < 10) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      i--;
      continue;
    }
    if (status !== 200)
      throw new Error(
        `GET ${pagePath} answered ${status} ${res.headers.get("location") ?? ""}: expected the page itself`,
      );
    const header = res.headers.get("x-sql-count");
    if (header !== null) counts.push(Number(header));
  }
  // What the browser loads: the module preloads and the inline module script's imports, then every
  // static import of those files in turn (the inline route manifest names other pages' files too).
  const staticImports = (code: string) =>
    [...code.matchAll(/(?:\bfrom|\bimport)\s*"(\/build\/[^"]+?\.js)"/g)].map((m) => m[1]!);
  const scripts = [...html.matchAll(/<script[^>]*type="module"[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1]!)
    .join("\n");
  const preloads = [...html.matchAll(/<link rel="modulepreload" href="(\/build\/[^"]+?\.js)"/g)].map((m) => m[1]!);
  const queue = [...preloads, ...staticImports(scripts)];
  const seen = new Set<string>();
  let gz = 0;
  let raw = 0;
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const copy = assets ? path.join(assets, file) : null;
    let body: Buffer;
    if (copy && existsSync(copy)) body = readFileSync(copy);
    else {
      const res = await fetch(`${baseUrl}${file}`);
      if (res.status !== 200)
        throw new Error(`GET ${file} answered ${res.status} (was the build replaced while the server ran?)`);
      body = Buffer.from(await res.arrayBuffer());
    }
    raw += body.length;
    gz += gzipSync(body).length;
    queue.push(...staticImports(body.toString("utf8")));
  }
  const files = [...seen];
  return {
    status,
    sqlPerView: counts.length ? median(counts) : null,
    viewMs: Math.round(median(times)),
    jsGzipBytes: gz,
    jsRawBytes: raw,
    jsFiles: files.length,
  };
}
