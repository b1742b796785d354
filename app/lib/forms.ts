/** PostgreSQL text cannot hold U+0000, and no form needs it: refused here rather than failing in the database. */
export const NUL_MESSAGE = "Remove the invisible control character (U+0000) from this field.";
