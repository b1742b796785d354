import type { SerializeFrom } from "@remix-run/node";
import type { loader } from "./route";

/** The care-team page's data as its components receive it. */
export type CareTeamData = SerializeFrom<typeof loader>;
