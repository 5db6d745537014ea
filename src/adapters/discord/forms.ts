/**
 * Forms on Discord: a modal (interaction response type 9) with a string select and a paragraph
 * text input, each in a label; its MODAL_SUBMIT comes back as a `FormSubmission`.
 */
import {
  type APILabelComponent,
  type APIModalInteractionResponseCallbackData,
  ComponentType,
  type ModalSubmitInteraction,
  TextInputStyle,
} from 'discord.js';
import { FORM_FIELD, type FormSpec, type FormSubmission } from '../../core/form.ts';
import { fitLabel, truncate } from '../../core/reply.ts';
import { actorOf } from './translate.ts';

/** Discord's limits: modal title and label 45, placeholder 100, select option label 100, text up to 4000. */
const TITLE_MAX = 45;
const PLACEHOLDER_MAX = 100;
const OPTION_MAX = 100;
const TEXT_MAX = 4000;

/** The modal's API body (type 9's `data`). */
export function modalOf(form: FormSpec): APIModalInteractionResponseCallbackData {
  const components: APILabelComponent[] = [];
  if (form.choice)
    components.push({
      type: ComponentType.Label,
      label: fitLabel(form.choice.label, TITLE_MAX),
      component: {
        type: ComponentType.StringSelect,
        custom_id: FORM_FIELD.choice,
        min_values: 1,
        max_values: 1,
        required: true,
        options: form.choice.options.slice(0, 25).map((o) => ({
          label: fitLabel(o.label, OPTION_MAX),
          value: o.value.slice(0, 100),
        })),
      },
    });
  components.push({
    type: ComponentType.Label,
    label: fitLabel(form.text.label, TITLE_MAX),
    component: {
      type: ComponentType.TextInput,
      custom_id: FORM_FIELD.text,
      style: TextInputStyle.Paragraph,
      max_length: Math.min(form.text.maxLength, TEXT_MAX),
      required: Boolean(form.text.required),
      ...(form.text.placeholder ? { placeholder: truncate(form.text.placeholder, PLACEHOLDER_MAX) } : {}),
    },
  });
  return { custom_id: form.id, title: fitLabel(form.title, TITLE_MAX), components };
}

/** What the person filled in; a field Discord did not send is left out (the router says what is missing). */
export function submissionOf(interaction: ModalSubmitInteraction): FormSubmission {
  const read = <T>(get: () => T): T | undefined => {
    try {
      return get();
    } catch {
      return undefined;
    }
  };
  const choice = read(() => interaction.fields.getStringSelectValues(FORM_FIELD.choice)[0]);
  const text = read(() => interaction.fields.getTextInputValue(FORM_FIELD.text)) ?? '';
  return {
    ...actorOf(interaction),
    formId: interaction.customId,
    ...(choice !== undefined ? { choice } : {}),
    text,
  };
}
