import type { LoaderFunctionArgs, ServerBuild } from "@remix-run/node";

/**
 * For the benchmark (`npm run bench`): with BENCH_LIMIT=1 a GET carrying `X-Bench-Limit: 1` is
 * answered from loader data captured once, on the first such request for the same address, and
 * kept in memory. What remains is the page's physical limit: route matching, React rendering and
 * serialising the same data, with no session check, no SQL and no audit. Off by default and
 * refused in production (see main.ts): the captured data is served to anyone sending the header.
 */
export const benchLimitEnabled = process.env.BENCH_LIMIT === "1";

export const BENCH_LIMIT_HEADER = "x-bench-limit";

type Loader = NonNullable<ServerBuild["routes"][string]["module"]["loader"]>;

function capturing(routeId: string, loader: Loader, captured: Map<string, Promise<unknown>>): Loader {
  return (args: LoaderFunctionArgs) => {
    if (args.request.headers.get(BENCH_LIMIT_HEADER) !== "1") return loader(args);
    const url = new URL(args.request.url);
    const key = `${routeId} ${url.pathname}${url.search}`;
    let data = captured.get(key);
    if (!data) {
      data = (async () => loader(args))();
      captured.set(key, data);
      // A redirect or an error is not the page: the next request tries again.
      data.catch(() => captured.delete(key));
    }
    return data as ReturnType<Loader>;
  };
}

/** The same build with every route's loader wrapped to capture and replay its data. */
export function withCapturedLoaders(build: ServerBuild): ServerBuild {
  const captured = new Map<string, Promise<unknown>>();
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const loader = route.module.loader;
    routes[id] = loader ? { ...route, module: { ...route.module, loader: capturing(id, loader, captured) } } : route;
  }
  return { ...build, routes };
}
