import type { LoaderFunctionArgs, ServerBuild } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { BENCH_LIMIT_HEADER, withCapturedLoaders } from "../../server/bench-limit";

function buildWith(loader: (args: LoaderFunctionArgs) => unknown): ServerBuild {
  return {
    routes: { "routes/page": { id: "routes/page", path: "page", module: { default: () => null, loader } } },
  } as unknown as ServerBuild;
}

const call = (build: ServerBuild, url: string, headers: Record<string, string> = {}) =>
  build.routes["routes/page"]!.module.loader!({
    request: new Request(url, { headers }),
    params: {},
    context: {},
  } as LoaderFunctionArgs);

describe("the benchmark's limit variant", () => {
  it("runs the loader on every ordinary request", async () => {
    let runs = 0;
    const build = withCapturedLoaders(buildWith(() => ({ run: ++runs })));
    expect(await call(build, "http://x/page")).toEqual({ run: 1 });
    expect(await call(build, "http://x/page")).toEqual({ run: 2 });
  });

  it("replays the data captured by the first limit request for the same address", async () => {
    let runs = 0;
    const build = withCapturedLoaders(buildWith(() => ({ run: ++runs })));
    const limit = { [BENCH_LIMIT_HEADER]: "1" };
    expect(await call(build, "http://x/page?page=2", limit)).toEqual({ run: 1 });
    expect(await call(build, "http://x/page?page=2", limit)).toEqual({ run: 1 });
    expect(await call(build, "http://x/page?page=3", limit)).toEqual({ run: 2 });
    expect(await call(build, "http://x/page?page=2")).toEqual({ run: 3 });
  });

  it("does not keep a redirect or an error: the next limit request runs the loader again", async () => {
    let runs = 0;
    const build = withCapturedLoaders(
      buildWith(() => {
        if (++runs === 1) throw new Response(null, { status: 302, headers: { Location: "/login" } });
        return { run: runs };
      }),
    );
    const limit = { [BENCH_LIMIT_HEADER]: "1" };
    await expect(call(build, "http://x/page", limit)).rejects.toBeInstanceOf(Response);
    expect(await call(build, "http://x/page", limit)).toEqual({ run: 2 });
  });
});
