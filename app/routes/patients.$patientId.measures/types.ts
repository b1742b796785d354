import type { SerializeFrom } from "@remix-run/node";
import type { loader } from "./route";

/** The measures page's data as its components receive it. */
export type MeasuresData = SerializeFrom<typeof loader>;
