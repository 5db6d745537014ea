import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostError } from '../../src/core/platform.ts';
import { reply } from '../../src/core/reply.ts';
import {
  blockActionBody,
  type SlashCommandFields,
  send,
  signedRequest,
  slashCommandBody,
} from '../fakes/slack/signed.ts';
import { CHART_ALT, CSV, chartFile, csvFile, PNG } from '../helpers/files.ts';
import { type Harness, SECRET, startHarness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('http');
  h.fake.addUser({ id: 'U0GONE', name: 'gone', deleted: true });
  h.fake.addUser({ id: 'U0OTHERBOT', name: 'otherbot', isBot: true });
  h.fake.addChannel({ id: 'C0OUTSIDE', name: 'outside', isMember: false });
  h.fake.addChannel({ id: 'C0POST', name: 'post', isMember: true });
});
afterAll(async () => {
  await h?.close();
});

async function command(fields: Omit<SlashCommandFields, 'responseUrl'>) {
  const id = randomUUID();
  const waiting = h.fake.nextResponse(id);
  await send(
    h.url,
    signedRequest(SECRET, slashCommandBody({ ...fields, responseUrl: h.fake.responseUrl(id) })),
  );
  const first = await waiting;
  return { id, body: first.body as Record<string, unknown> };
}

function expectChartAndCsv(channel: string, threadTs?: string): void {
  const uploads = h.fake.uploadsTo(channel);
  expect(uploads.map((u) => u.filename)).toEqual(['progress.png', 'export.csv']);
  expect(Buffer.from(uploads[0]?.data ?? []).equals(Buffer.from(PNG))).toBe(true);
  expect(Buffer.from(uploads[1]?.data ?? []).equals(Buffer.from(CSV))).toBe(true);
  expect(uploads[0]?.altText).toBe(CHART_ALT);
  expect(uploads[1]?.altText).toBeUndefined();
  for (const upload of uploads) expect(upload.threadTs).toBe(threadTs);
}

describe('files in slash command answers', () => {
  it('answers in the channel, then uploads the files there through files.uploadV2', async () => {
    const { body } = await command({ command: '/attach', channelId: 'C0FILES' });
    expect(body.response_type).toBe('in_channel');
    expect(JSON.stringify(body.blocks)).toContain('Mastery by topic');
    await h.fake.waitFor(() => h.fake.uploadsTo('C0FILES').length === 2);
    expectChartAndCsv('C0FILES');
    const steps = h.fake.calls.map((c) => c.method).filter((m) => m.startsWith('files.'));
    expect(steps).toEqual(
      expect.arrayContaining(['files.getUploadURLExternal', 'files.completeUploadExternal']),
    );
  });

  it('sends the files of an ephemeral answer to a DM and says so in the answer', async () => {
    const { body } = await command({
      command: '/attach',
      text: 'private:true',
      channelId: 'C0PRIVATE',
      userId: 'U0MARIA',
    });
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body)).toContain(
      'Your files (progress.png, export.csv) are in your direct messages with me.',
    );
    expect(h.fake.callsTo('conversations.open').at(-1)?.body.users).toBe('U0MARIA');
    expectChartAndCsv('D0MARIA');
    expect(h.fake.uploadsTo('C0PRIVATE')).toHaveLength(0);
  });

  it('keeps the text answer when the upload fails, and tells the person privately why', async () => {
    const { id, body } = await command({ command: '/attach', channelId: 'C0OUTSIDE' });
    expect(body.response_type).toBe('in_channel');
    const note = await h.fake.nextResponse(id);
    expect(note.body.response_type).toBe('ephemeral');
    expect(note.body.replace_original).toBe(false);
    expect(String(note.body.text)).toContain(
      'Could not attach progress.png, export.csv: I am not a member of this channel',
    );
    expect(h.fake.uploadsTo('C0OUTSIDE')).toHaveLength(0);
  });

  it('says in the ephemeral answer when the DM with the files cannot be opened', async () => {
    const { body } = await command({ command: '/attach', text: 'private:true', userId: 'U0GONE' });
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body)).toContain('Could not send progress.png, export.csv to your direct messages');
    expect(JSON.stringify(body)).toContain('Mastery by topic');
  });

  it('sends the files of a private button answer to a DM as well', async () => {
    const id = randomUUID();
    const waiting = h.fake.nextResponse(id);
    const before = h.fake.uploadsTo('D0HOST').length;
    await send(
      h.url,
      signedRequest(
        SECRET,
        blockActionBody({
          actionId: 'attachbtn:again',
          userId: 'U0HOST',
          responseUrl: h.fake.responseUrl(id),
        }),
      ),
    );
    const response = await waiting;
    expect(response.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(response.body)).toContain('in your direct messages with me');
    expect(h.fake.uploadsTo('D0HOST').length - before).toBe(2);
  });
});

describe('files and private messages from the Poster', () => {
  const card = reply({ title: 'Export', text: 'The term.', files: [chartFile(), csvFile()] });

  it('posts, then uploads the files into the thread of the post', async () => {
    const ref = await h.adapter.poster.post(
      { platform: 'slack', workspaceId: 'T0TEST', channelId: 'C0POST' },
      card,
    );
    expectChartAndCsv('C0POST', ref.messageId);
  });

  it('edits the post to say which files could not be attached when the upload fails', async () => {
    h.fake.failNext('files.completeUploadExternal', 'file_uploads_disabled');
    const ref = await h.adapter.poster.post(
      { platform: 'slack', workspaceId: 'T0TEST', channelId: 'C0POST' },
      card,
    );
    const message = h.fake.messagesIn('C0POST').find((m) => m.ts === ref.messageId);
    expect(message?.text).toContain('The term.');
    expect(message?.text).toContain(
      'Could not attach progress.png, export.csv: this workspace has turned off file uploads.',
    );
  });

  it('sends a private message through conversations.open, files after it, no thread', async () => {
    const ref = await h.adapter.poster.dm?.(
      { platform: 'slack', workspaceId: 'T0TEST', id: 'U0ADMIN' },
      reply({ text: '3 cards are due today <!channel>.', files: [chartFile(), csvFile()] }),
    );
    expect(ref?.channel.channelId).toBe('D0ADMIN');
    const [message] = h.fake.messagesIn('D0ADMIN');
    expect(message?.ts).toBe(ref?.messageId);
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    expectChartAndCsv('D0ADMIN');
  });

  it('fails with PostError closed for a bot, a deactivated and an unknown user', async () => {
    for (const id of ['U0OTHERBOT', 'U0GONE', 'U0NOBODY']) {
      const error = await h.adapter.poster
        .dm?.({ platform: 'slack', workspaceId: 'T0TEST', id }, reply({ text: 'Reminder' }))
        .catch((e: unknown) => e);
      expect(error, id).toBeInstanceOf(PostError);
      expect((error as PostError).kind, id).toBe('closed');
    }
    expect(
      await h.adapter.poster
        .dm?.({ platform: 'slack', workspaceId: 'T0TEST', id: 'U0OTHERBOT' }, reply({ text: 'x' }))
        .catch((e: PostError) => e.message),
    ).toMatch(/cannot_dm_bot/);
  });
});
