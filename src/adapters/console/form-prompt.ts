/**
 * Forms in the terminal: a prompt. The choice is picked by number, then the text is typed on one
 * line (an empty line sends none when the text is optional); `/cancel` closes the form.
 */
import type { FormSpec } from '../../core/form.ts';

export type FormStep = { form: FormSpec; choice?: string };

/** What the terminal shows when the form opens or moves on to its next field. */
export function promptFor(step: FormStep): string {
  const { form } = step;
  if (form.choice && step.choice === undefined)
    return [
      form.title,
      `${form.choice.label} Type a number:`,
      ...form.choice.options.map((o, i) => `  ${i + 1}. ${o.label}`),
      '(/cancel closes the form)',
    ].join('\n');
  const optional = form.text.required ? '' : ' An empty line sends none.';
  const head = form.choice ? '' : `${form.title}\n`;
  return `${head}${form.text.label}: type it on one line, up to ${form.text.maxLength} characters.${optional}\n(/cancel closes the form)`;
}

/**
 * One typed line for the form: the next step, a line to show and ask again, or the values to
 * submit.
 */
export function answerStep(
  step: FormStep,
  line: string,
):
  | { kind: 'again'; message: string }
  | { kind: 'next'; step: FormStep }
  | { kind: 'submit'; choice?: string; text: string } {
  const { form } = step;
  if (form.choice && step.choice === undefined) {
    const n = Number(line.trim());
    const option = Number.isInteger(n) ? form.choice.options[n - 1] : undefined;
    if (!option) return { kind: 'again', message: `Type a number from 1 to ${form.choice.options.length}.` };
    return { kind: 'next', step: { ...step, choice: option.value } };
  }
  return { kind: 'submit', ...(step.choice !== undefined ? { choice: step.choice } : {}), text: line };
}
