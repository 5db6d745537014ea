/**
 * Reports of problems with questions on Slack, with signed requests to the real Bolt app: the
 * button opens a modal through views.open (recorded by the fake Web API), a signed view_submission
 * files the report (or is refused with field errors), and a host rejects it with a note.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openedViews } from '../fakes/slack/server.ts';
import {
  blockActionBody,
  send,
  signedRequest,
  slashCommandBody,
  viewSubmissionBody,
} from '../fakes/slack/signed.ts';
import { quizContent } from '../helpers/quiz-content.ts';
import { type Harness, SECRET, startHarness } from './harness.ts';

const CHANNEL = 'C0STUDY';
const WS = { platform: 'slack', workspaceId: 'T0TEST' } as const;

interface View {
  callback_id: string;
  private_metadata: string;
  title: { text: string };
  submit: { text: string };
  blocks: {
    block_id: string;
    optional?: boolean;
    element: { type: string; max_length?: number; options?: { text: { text: string }; value: string }[] };
  }[];
}
interface Response {
  response_type?: string;
  blocks?: {
    type: string;
    text?: { text: string };
    elements?: { action_id?: string; text?: { text: string } }[];
  }[];
  text?: string;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
});

describe('disputes on Slack', () => {
  it('opens the report form with views.open, takes a signed view_submission, and a host rejects with a note', async () => {
    const harness = await startHarness('http', { content: quizContent(), services: {} });
    h = harness;
    harness.fake.addChannel({ id: CHANNEL, name: 'study', isMember: true });
    const fake = harness.fake;

    const press = async (actionId: string, userId: string) => {
      const before = openedViews(fake).length;
      const body = blockActionBody({ actionId, userId, channelId: CHANNEL, responseUrl: fake.responseUrl() });
      expect((await send(harness.url, signedRequest(SECRET, body))).status).toBe(200);
      await fake.waitFor(() => openedViews(fake).length > before);
      return openedViews(fake).at(-1) as unknown as View;
    };
    const submit = async (
      view: View,
      userId: string,
      values: Record<string, Record<string, Record<string, unknown>>>,
    ) => {
      const body = viewSubmissionBody({ view, values, userId });
      const answer = await send(harness.url, signedRequest(SECRET, body));
      expect(answer.status).toBe(200);
      return answer.text ? (JSON.parse(answer.text) as Record<string, unknown>) : {};
    };
    const ephemeral = async (after: number) => {
      await fake.waitFor(() => fake.callsTo('chat.postEphemeral').length > after);
      return fake.callsTo('chat.postEphemeral').at(-1)?.body as Record<string, unknown> & {
        blocks?: unknown[];
      };
    };
    const slash = async (command: string, text: string, userId: string): Promise<Response> => {
      const id = randomUUID();
      const answered = fake.nextResponse(id);
      const body = slashCommandBody({
        command,
        text,
        userId,
        channelId: CHANNEL,
        channelName: 'study',
        responseUrl: fake.responseUrl(id),
      });
      expect((await send(harness.url, signedRequest(SECRET, body))).status).toBe(200);
      return (await answered).body as Response;
    };

    const view = await press('dispute:q-easy-5', 'U0MARIA');
    expect(fake.callsTo('views.open').at(-1)?.body.trigger_id).toMatch(/\./);
    expect(view.callback_id).toBe('dispute:q-easy-5');
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: CHANNEL });
    expect(view.title.text).toBe('Report a problem');
    expect(view.submit.text).toBe('Send report');
    const [reason, text] = view.blocks;
    expect(reason?.element.options?.map((o) => o.value)).toEqual([
      'wrong-answer',
      'ambiguous',
      'source',
      'typo',
      'other',
    ]);
    expect(text).toMatchObject({
      block_id: 'text',
      optional: true,
      element: { type: 'plain_text_input', max_length: 500 },
    });

    // Invalid input keeps the modal open with the error under the field; nothing is stored.
    const tooLong = await submit(view, 'U0MARIA', {
      choice: { choice: { type: 'static_select', selected_option: { value: 'typo' } } },
      text: { text: { type: 'plain_text_input', value: 'x'.repeat(501) } },
    });
    expect(tooLong).toEqual({
      response_action: 'errors',
      errors: { text: 'That text is 501 characters long; please keep it to 500.' },
    });
    const badChoice = await submit(view, 'U0MARIA', {
      choice: { choice: { type: 'static_select', selected_option: { value: 'because' } } },
      text: { text: { type: 'plain_text_input', value: 'x' } },
    });
    expect((badChoice.errors as Record<string, string>).choice).toMatch(/^Please pick one of: Wrong answer/);
    expect(await harness.storage.disputes.open(WS)).toEqual([]);

    const posted = fake.callsTo('chat.postEphemeral').length;
    const ok = await submit(view, 'U0MARIA', {
      choice: { choice: { type: 'static_select', selected_option: { value: 'source' } } },
      text: {
        text: { type: 'plain_text_input', value: '<!channel> <@U0HOST> *bold* <https://evil.example|click>' },
      },
    });
    expect(ok).toEqual({});
    const thanks = await ephemeral(posted);
    expect(thanks.channel).toBe(CHANNEL);
    expect(thanks.user).toBe('U0MARIA');
    expect(String(thanks.text)).toContain('Thank you: your report is filed');
    const [stored] = await harness.storage.disputes.open(WS);
    expect(stored).toMatchObject({
      reason: 'source',
      userId: 'U0MARIA',
      userName: 'Maria',
      channelId: CHANNEL,
    });

    // The host's list shows the text as plain text: no mention markup reaches Slack.
    const list = await slash('/disputes', '', 'U0ADMIN');
    expect(list.response_type).toBe('ephemeral');
    const shown = JSON.stringify(list.blocks);
    expect(shown).toContain('Source does not say this');
    expect(shown).not.toMatch(/<!channel>|<@U0HOST>|<https:/);
    expect(shown).toContain('@\u200bchannel');

    // Reject with a note: a second modal; its submission closes the report.
    const reject = await press('disputes:j:0:q-easy-5', 'U0ADMIN');
    expect(reject.callback_id).toBe('dispute-reject:q-easy-5');
    const empty = await submit(reject, 'U0ADMIN', {
      text: { text: { type: 'plain_text_input', value: '  ' } },
    });
    expect(empty).toEqual({
      response_action: 'errors',
      errors: { text: 'Please fill in "A note for the reporters".' },
    });
    const before = fake.callsTo('chat.postEphemeral').length;
    expect(
      await submit(reject, 'U0ADMIN', { text: { text: { type: 'plain_text_input', value: 'It does.' } } }),
    ).toEqual({});
    expect(String((await ephemeral(before)).text)).toContain('Rejected: 1 report on q-easy-5 closed');
    expect(await harness.storage.disputes.open(WS)).toEqual([]);

    // A learner cannot submit the host's form.
    const sneaky = fake.callsTo('chat.postEphemeral').length;
    await submit(reject, 'U0MARIA', { text: { text: { type: 'plain_text_input', value: 'Mine now.' } } });
    expect(String((await ephemeral(sneaky)).text)).toContain('Only hosts can act on reports.');
  });
});
