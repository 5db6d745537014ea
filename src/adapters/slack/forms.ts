/**
 * Forms on Slack: a modal opened with `views.open` and the button's trigger_id; its
 * `view_submission` is acknowledged with field errors when the router finds the input invalid,
 * else acknowledged and answered with a private message in the channel the button was in.
 */
import type { App, types, ViewSubmitAction, webApi } from '@slack/bolt';
import type { ApiHealth } from '../../core/api-health.ts';
import { FORM_FIELD, type FormSpec, type FormSubmission } from '../../core/form.ts';
import type { Logger } from '../../core/log.ts';
import type { ChannelRef } from '../../core/platform.ts';
import { fitLabel, truncate } from '../../core/reply.ts';
import type { Router } from '../../core/router.ts';
import { answerWithFiles } from './files.ts';
import { plainText } from './mrkdwn.ts';
import type { UserDirectory } from './users.ts';

/** Slack's limits: modal title and button text 24, option text 75, label 2000, placeholder 150, text 3000. */
const TITLE_MAX = 24;
const OPTION_MAX = 75;
const PLACEHOLDER_MAX = 150;
const TEXT_MAX = 3000;

const plain = (text: string) => ({ type: 'plain_text' as const, text: plainText(text), emoji: true });

/** The modal view for a form; the channel it was opened from travels in private_metadata. */
export function viewOf(form: FormSpec, channelId: string): types.ModalView {
  const blocks: types.InputBlock[] = [];
  if (form.choice)
    blocks.push({
      type: 'input',
      block_id: FORM_FIELD.choice,
      label: plain(truncate(form.choice.label, 2000)),
      element: {
        type: 'static_select',
        action_id: FORM_FIELD.choice,
        options: form.choice.options.slice(0, 100).map((o) => ({
          text: plain(fitLabel(o.label, OPTION_MAX)),
          value: o.value,
        })),
      },
    });
  blocks.push({
    type: 'input',
    block_id: FORM_FIELD.text,
    optional: !form.text.required,
    label: plain(truncate(form.text.label, 2000)),
    element: {
      type: 'plain_text_input',
      action_id: FORM_FIELD.text,
      multiline: true,
      max_length: Math.min(form.text.maxLength, TEXT_MAX),
      ...(form.text.placeholder
        ? { placeholder: plain(truncate(form.text.placeholder, PLACEHOLDER_MAX)) }
        : {}),
    },
  });
  return {
    type: 'modal',
    callback_id: form.id,
    private_metadata: JSON.stringify({ channel: channelId }),
    title: plain(fitLabel(form.title, TITLE_MAX)),
    submit: plain(fitLabel(form.submitLabel ?? 'Submit', TITLE_MAX)),
    close: plain('Cancel'),
    blocks,
  };
}

/** Opens the form for the person who pressed a button (the trigger id is valid for 3 seconds). */
export async function openForm(
  client: webApi.WebClient,
  triggerId: string,
  form: FormSpec,
  channelId: string,
): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: viewOf(form, channelId) });
}

interface Deps {
  router: Router;
  users: UserDirectory;
  log: Logger;
  api: ApiHealth;
}

/** Answers every form submission; one the router does not know is refused in the modal. */
export function registerForms(app: App, deps: Deps): void {
  app.view<ViewSubmitAction>(
    { type: 'view_submission', callback_id: /.*/ },
    async ({ ack, body, view, client }) => {
      const formId = view.callback_id;
      if (!deps.router.hasForm(formId)) {
        await ack({
          response_action: 'errors',
          errors: { [FORM_FIELD.text]: 'This form no longer works. Close it and press the button again.' },
        });
        return;
      }
      const teamId = body.team?.id ?? body.user.team_id ?? '';
      const channelId = channelOf(view.private_metadata);
      const channel: ChannelRef = { platform: 'slack', workspaceId: teamId, channelId };
      const values = view.state.values;
      const choice = values[FORM_FIELD.choice]?.[FORM_FIELD.choice]?.selected_option?.value ?? undefined;
      const info = await deps.users.lookup(teamId, body.user.id, body.user.name ?? body.user.id);
      const submission: FormSubmission = {
        user: { platform: 'slack', id: body.user.id, displayName: info.displayName },
        channel,
        isAdmin: info.isAdmin,
        isHost: info.isAdmin,
        inServer: channelId !== '' && !channelId.startsWith('D'),
        formId,
        ...(choice ? { choice } : {}),
        text: values[FORM_FIELD.text]?.[FORM_FIELD.text]?.value ?? '',
      };
      const result = await deps.router.handleForm(submission);
      if (result.kind === 'invalid') {
        // Shown under the fields, in the modal, which stays open.
        const errors = Object.fromEntries(
          Object.entries(result.errors).map(([k, v]) => [k, truncate(v, 150)]),
        );
        await ack({ response_action: 'errors', errors });
        return;
      }
      await ack();
      try {
        await answerWithFiles(result.reply, {
          client,
          channelId,
          userId: body.user.id,
          send: (message) =>
            client.chat.postEphemeral({ channel: channelId, user: body.user.id, ...message }),
        });
        deps.api.ok();
      } catch (error) {
        deps.api.failed(error instanceof Error ? error.message : String(error));
        deps.log.warn({ err: error, form: formId.slice(0, 100) }, 'could not answer a form');
      }
    },
  );
}

function channelOf(metadata: string): string {
  try {
    const parsed = JSON.parse(metadata) as { channel?: unknown };
    return typeof parsed.channel === 'string' ? parsed.channel : '';
  } catch {
    return '';
  }
}
