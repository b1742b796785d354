import { getInputProps, type FieldMetadata } from "@conform-to/react";

/**
 * The question a time outside every therapy window raises: shown once the first submit asked it,
 * a second submit with the box ticked plans (or moves) the session there anyway.
 */
export function OutsideWindowQuestion({ field }: { field: FieldMetadata<string | undefined, any, string[]> }) {
  if (!field.errors?.length && field.initialValue !== "yes") return null;
  return (
    <div className="field">
      {field.errors?.length ? (
        <p className="field-error" id={field.errorId}>
          {field.errors.join(" ")}
        </p>
      ) : null}
      <label>
        <input {...getInputProps(field, { type: "checkbox", value: "yes" })} key={field.key} /> Plan it anyway, outside
        every therapy window
      </label>
    </div>
  );
}
