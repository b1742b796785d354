import type { SerializeFrom } from "@remix-run/node";
import type { loader } from "./route";

/** The care-notes page's data as its components receive it. */
export type NotesData = SerializeFrom<typeof loader>;
