import { Form, useNavigation } from "@remix-run/react";
import { useId, type ComponentProps, type ReactNode } from "react";

interface FieldProps {
  label: string;
  name: string;
  errors?: string[];
  hint?: ReactNode;
}

function describedBy(hintId: string, errorId: string, hint?: ReactNode, errors?: string[]) {
  return [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(" ") || undefined;
}

function FieldMessages({
  hint,
  errors,
  hintId,
  errorId,
}: {
  hint?: ReactNode;
  errors?: string[];
  hintId: string;
  errorId: string;
}) {
  return (
    <>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p className="field-error" id={errorId}>
          {errors.join(" ")}
        </p>
      ) : null}
    </>
  );
}

export function TextField({
  label,
  name,
  errors,
  hint,
  id: givenId,
  ...input
}: FieldProps & Omit<ComponentProps<"input">, "name">) {
  const generatedId = useId();
  const id = givenId ?? generatedId;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, hint, errors)}
        {...input}
      />
      <FieldMessages hint={hint} errors={errors} hintId={hintId} errorId={errorId} />
    </div>
  );
}

export function TextAreaField({
  label,
  name,
  errors,
  hint,
  ...input
}: FieldProps & Omit<ComponentProps<"textarea">, "name">) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, hint, errors)}
        {...input}
      />
      <FieldMessages hint={hint} errors={errors} hintId={hintId} errorId={errorId} />
    </div>
  );
}

export function SelectField({
  label,
  name,
  errors,
  hint,
  options,
  placeholder,
  ...select
}: FieldProps &
  Omit<ComponentProps<"select">, "name"> & {
    options: readonly { value: string; label: string }[];
    placeholder?: string;
  }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(hintId, errorId, hint, errors)}
        {...select}
      >
        {placeholder ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldMessages hint={hint} errors={errors} hintId={hintId} errorId={errorId} />
    </div>
  );
}

export function CheckboxGroup({
  legend,
  name,
  options,
  checked,
  errors,
  hint,
}: {
  legend: string;
  name: string;
  options: readonly { value: string; label: string }[];
  checked: readonly string[];
  errors?: string[];
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <fieldset className="field" aria-describedby={describedBy(`${id}-hint`, `${id}-error`, hint, errors)}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="check">
          <input type="checkbox" name={name} value={o.value} defaultChecked={checked.includes(o.value)} /> {o.label}
        </label>
      ))}
      <FieldMessages hint={hint} errors={errors} hintId={`${id}-hint`} errorId={`${id}-error`} />
    </fieldset>
  );
}

export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div className="alert alert-error" role="alert">
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
  const pending = navigation.state === "submitting";
  return (
    <button type="submit" className="button" disabled={pending} {...button}>
      {pending && pendingText ? pendingText : children}
    </button>
  );
}

export { Form };
