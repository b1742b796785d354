import type { SerializeFrom } from "@remix-run/node";
import type { loader } from "./route";

/** The engagement page's data as its components receive it. */
export type EngagementData = SerializeFrom<typeof loader>;
