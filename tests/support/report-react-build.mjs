/**
 * Preloaded into a server under test (NODE_OPTIONS=--import): when the process exits, writes the
 * React and react-dom build files it ran to the file REACT_BUILD_REPORT names. Only modules that
 * finished loading count: Node's ESM interop also parses, without running, both builds that
 * react's index re-exports, and leaves them in the cache.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import process from "node:process";

const require = createRequire(import.meta.url);
process.on("exit", () => {
  const builds = Object.entries(require.cache)
    .filter(([file, module]) => module?.loaded && /[\\/]react(-dom)?[\\/]cjs[\\/]/.test(file))
    .map(([file]) => file);
  writeFileSync(process.env.REACT_BUILD_REPORT, JSON.stringify(builds));
});
