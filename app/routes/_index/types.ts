import type { SerializeFrom } from "@remix-run/node";
import type { loader } from "./route";

/** The home page's data for one role's view. */
export type HomeOf<V extends string> = Extract<SerializeFrom<typeof loader>["home"], { view: V }>;
export type AnyHome = SerializeFrom<typeof loader>["home"];
