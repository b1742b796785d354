import type { SerializeFrom } from "@remix-run/node";
import type { loader } from "./route";

/** The infusions page's data as its components receive it. */
export type InfusionsData = SerializeFrom<typeof loader>;
