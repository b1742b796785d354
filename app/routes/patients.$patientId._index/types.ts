import type { SerializeFrom } from "@remix-run/node";
import type { loader } from "./route";

/** The patient overview's data as its components receive it. */
export type OverviewData = SerializeFrom<typeof loader>;
