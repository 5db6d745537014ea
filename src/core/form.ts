/**
 * Forms: a button may answer by opening a small form (a Discord modal, a Slack modal, a prompt in
 * the terminal) with one optional choice and one paragraph of text. The submission comes back to
 * the command that declared the form, through the Router, as plain values.
 */
import type { Actor, Command, Deps } from './command.ts';
import type { Reply } from './reply.ts';

export interface FormChoice {
  value: string;
  label: string;
}

/** The fields of a form, declared once by the command that handles it (and validated by the Router). */
export interface FormFields {
  /** A required pick among a few values (at most 25). */
  choice?: { label: string; options: readonly FormChoice[] };
  /** A paragraph of text, at most `maxLength` characters. */
  text: { label: string; maxLength: number; required?: boolean; placeholder?: string };
}

/** A form to open: `id` is `namespace:payload` (at most 100 characters), the namespace a command's `forms` key. */
export interface FormSpec extends FormFields {
  id: string;
  /** Short: Discord shows at most 45 characters. */
  title: string;
  /** The label of the submit button (Slack; Discord always says Submit). */
  submitLabel?: string;
}

/** A filled form as an adapter receives it, before validation. */
export interface FormSubmission extends Actor {
  formId: string;
  choice?: string;
  text: string;
}

export interface FormContext extends Deps, Actor {
  submission: FormSubmission;
  /** The form id after its namespace. */
  payload: string;
  /** Validated: `choice` is one of the declared values; `text` is free of control characters and within bounds. */
  values: { choice?: string; text: string };
}

export interface FormHandler extends FormFields {
  title: string;
  submitLabel?: string;
  submit(ctx: FormContext): Promise<Reply> | Reply;
}

/**
 * The outcome of a submission: a reply (always private), or field errors for a platform that can
 * show them next to the fields (Slack), with the same message as a reply for the others.
 */
export type FormResult =
  | { kind: 'done'; reply: Reply }
  | { kind: 'invalid'; errors: Partial<Record<'choice' | 'text', string>>; reply: Reply };

/** The field ids adapters give the two fields, so every platform names them alike. */
export const FORM_FIELD = { choice: 'choice', text: 'text' } as const;

/** The form `id` as declared by its command, ready to open; undefined when no command declares it. */
export function formSpec(commands: readonly Command[], id: string): FormSpec | undefined {
  const handler = formHandler(commands, id);
  if (!handler || id.length > 100) return undefined;
  const { submit: _submit, ...fields } = handler;
  return { id, ...fields };
}

export function formHandler(commands: readonly Command[], id: string): FormHandler | undefined {
  const colon = id.indexOf(':');
  const namespace = colon < 0 ? id : id.slice(0, colon);
  for (const command of commands) {
    const handler = command.forms?.[namespace];
    if (handler) return handler;
  }
  return undefined;
}
