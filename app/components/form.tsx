import {
  getCollectionProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type FieldMetadata,
  type FormMetadata,
} from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { useId, type ComponentProps, type ReactNode } from "react";

type Field = FieldMetadata<any, any, string[]>;

/**
 * A field is bound either to Conform (`field`: id, name, typed value, errors and aria attributes
 * come from the form's metadata) or by `name` and `errors`: a list filter sent with GET.
 */
type Binding = { field: Field; name?: never; errors?: never } | { field?: never; name: string; errors?: string[] };

interface FieldProps {
  label: string;
  hint?: ReactNode;
}

interface Control {
  id: string;
  name: string;
  errors?: string[];
  hintId: string;
  errorId: string;
}

function useControl(binding: Binding, givenId?: string): Control {
  const generatedId = useId();
  if (binding.field) {
    const { field } = binding;
    return {
      id: field.id,
      name: field.name,
      errors: field.errors,
      hintId: field.descriptionId,
      errorId: field.errorId,
    };
  }
  const id = givenId ?? generatedId;
  return { id, name: binding.name, errors: binding.errors, hintId: `${id}-hint`, errorId: `${id}-error` };
}

function describedBy({ hintId, errorId, errors }: Control, hint?: ReactNode) {
  return [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(" ") || undefined;
}

function looseProps(control: Control, hint?: ReactNode) {
  return {
    id: control.id,
    name: control.name,
    "aria-invalid": control.errors?.length ? true : undefined,
    "aria-describedby": describedBy(control, hint),
  };
}

function FieldMessages({ hint, control }: { hint?: ReactNode; control: Control }) {
  return (
    <>
      {hint ? (
        <p className="hint" id={control.hintId}>
          {hint}
        </p>
      ) : null}
      {control.errors?.length ? (
        <p className="field-error" id={control.errorId}>
          {control.errors.join(" ")}
        </p>
      ) : null}
    </>
  );
}

/** The input types TextField draws: checkboxes and radios come in groups (CheckboxGroup). */
type TextInputType = Exclude<Parameters<typeof getInputProps>[1]["type"], "checkbox" | "radio">;

export function TextField({
  label,
  hint,
  field,
  name,
  errors,
  id: givenId,
  ...input
}: FieldProps & Binding & Omit<ComponentProps<"input">, "name">) {
  const control = useControl({ field, name, errors } as Binding, givenId);
  const ariaDescribedBy = hint ? control.hintId : undefined;
  const props = field
    ? getInputProps(field, { type: (input.type ?? "text") as TextInputType, ariaDescribedBy })
    : looseProps(control, hint);
  return (
    <div className="field">
      <label htmlFor={control.id}>{label}</label>
      <input key={field?.key} {...props} {...input} />
      <FieldMessages hint={hint} control={control} />
    </div>
  );
}

export function TextAreaField({
  label,
  hint,
  field,
  name,
  errors,
  ...textarea
}: FieldProps & Binding & Omit<ComponentProps<"textarea">, "name" | "id">) {
  const control = useControl({ field, name, errors } as Binding);
  const props = field
    ? getTextareaProps(field, { ariaDescribedBy: hint ? control.hintId : undefined })
    : looseProps(control, hint);
  return (
    <div className="field">
      <label htmlFor={control.id}>{label}</label>
      <textarea key={field?.key} {...props} {...textarea} />
      <FieldMessages hint={hint} control={control} />
    </div>
  );
}

export function SelectField({
  label,
  hint,
  field,
  name,
  errors,
  options,
  placeholder,
  ...select
}: FieldProps &
  Binding &
  Omit<ComponentProps<"select">, "name" | "id"> & {
    options: readonly { value: string; label: string }[];
    placeholder?: string;
  }) {
  const control = useControl({ field, name, errors } as Binding);
  const props = field
    ? getSelectProps(field, { ariaDescribedBy: hint ? control.hintId : undefined })
    : looseProps(control, hint);
  return (
    <div className="field">
      <label htmlFor={control.id}>{label}</label>
      <select key={field?.key} {...props} {...select}>
        {placeholder ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldMessages hint={hint} control={control} />
    </div>
  );
}

export function CheckboxGroup({
  legend,
  hint,
  options,
  field,
  name,
  errors,
  checked = [],
}: {
  legend: string;
  hint?: ReactNode;
  options: readonly { value: string; label: string }[];
  /** What is ticked when the form is not bound to Conform. */
  checked?: readonly string[];
} & Binding) {
  const control = useControl({ field, name, errors } as Binding);
  const boxes = field
    ? getCollectionProps(field, { type: "checkbox", options: options.map((o) => o.value), ariaAttributes: false })
    : options.map((o) => ({
        key: o.value,
        name: control.name,
        value: o.value,
        defaultChecked: checked.includes(o.value),
      }));
  return (
    <fieldset className="field" aria-describedby={describedBy(control, hint)}>
      <legend>{legend}</legend>
      {boxes.map(({ key, ...box }, i) => (
        <label key={key} className="check">
          <input {...box} type="checkbox" /> {options[i]!.label}
        </label>
      ))}
      <FieldMessages hint={hint} control={control} />
    </fieldset>
  );
}

/** The form's own message (a refusal that is not about one field), announced when it appears. */
export function FormError(props: { form: FormMetadata<any, string[]> } | { message?: string | null }) {
  const message = "form" in props ? props.form.errors?.join(" ") : props.message;
  if (!message) return null;
  return (
    <div className="alert alert-error" role="alert" id={"form" in props ? props.form.errorId : undefined}>
      {message}
    </div>
  );
}

/** A submit button that says it is working once JavaScript is there; a plain button before. */
export function SubmitButton({
  children,
  pendingText,
  ...button
}: ComponentProps<"button"> & { pendingText?: string }) {
  const navigation = useNavigation();
  // A field checked on blur posts the form with Conform's intent: that is not the form being sent,
  // and a button disabled between a blur and the click that caused it would swallow the click.
  const pending = navigation.state === "submitting" && !navigation.formData?.has("__intent__");
  return (
    <button type="submit" className="button" disabled={pending} {...button}>
      {pending && pendingText ? pendingText : children}
    </button>
  );
}

export { Form };

/**
 * One choice of several, as radio buttons a keyboard moves through with the arrow keys. A `scale`
 * lays the choices side by side as large targets (two a row on a phone), for a rating scale.
 */
export function RadioGroup({
  legend,
  hint,
  options,
  field,
  scale = false,
}: {
  legend: string;
  hint?: ReactNode;
  options: readonly { value: string; label: string }[];
  field: Field;
  scale?: boolean;
}) {
  const control = useControl({ field } as Binding);
  const radios = getCollectionProps(field, {
    type: "radio",
    options: options.map((o) => o.value),
    ariaAttributes: false,
  });
  return (
    <fieldset className={scale ? "field scale" : "field"} aria-describedby={describedBy(control, hint)}>
      <legend>{legend}</legend>
      <div className="choices">
        {radios.map(({ key, ...radio }, i) => (
          <label key={key} className="check">
            <input {...radio} type="radio" /> {options[i]!.label}
          </label>
        ))}
      </div>
      <FieldMessages hint={hint} control={control} />
    </fieldset>
  );
}
