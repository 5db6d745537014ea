import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelRef, PostError } from '../../src/core/platform.ts';
import { reply } from '../../src/core/reply.ts';
import type { RestCall } from '../fakes/discord/index.ts';
import { CHART_ALT, CSV, chartFile, csvFile, PNG } from '../helpers/files.ts';
import { APPLICATION_ID, type Harness, startHarness } from './harness.ts';
import { Gate, gates } from './test-commands.ts';

let h: Harness;
const EPHEMERAL = 64;
const NO_MENTIONS = { parse: [] };

beforeAll(async () => {
  h = await startHarness({ deferAfterMs: 1000 });
});
afterAll(async () => {
  await h?.stop();
});

interface MessageBody {
  embeds?: { title?: string; description?: string; image?: { url: string } }[];
  attachments?: { id: string | number; filename?: string; description?: string }[];
  flags?: number;
  allowed_mentions?: unknown;
}

/** The file parts of a multipart call: name, bytes and the description the JSON body gives them. */
function uploaded(call: RestCall, body: MessageBody) {
  return (call.files ?? []).map((file) => {
    const index = /^files\[(\d+)\]$/.exec(file.key)?.[1];
    const meta = body.attachments?.find((a) => String(a.id) === index);
    return { name: file.name, bytes: Buffer.from(file.data), description: meta?.description ?? undefined };
  });
}

function expectChartAndCsv(call: RestCall, body: MessageBody): void {
  expect(call.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  const files = uploaded(call, body);
  expect(files.map((f) => f.name)).toEqual(['progress.png', 'export.csv']);
  expect(files[0]?.bytes.equals(Buffer.from(PNG))).toBe(true);
  expect(files[1]?.bytes.equals(Buffer.from(CSV))).toBe(true);
  expect(files[0]?.description).toBe(CHART_ALT);
  expect(files[1]?.description).toBeUndefined();
  // The chart is shown inside the card.
  expect(body.embeds?.[0]?.image?.url).toBe('attachment://progress.png');
  expect(body.allowed_mentions).toEqual(NO_MENTIONS);
}

describe('files in interaction replies', () => {
  it('attaches a PNG and a CSV to a direct answer as a multipart upload with the exact bytes', async () => {
    const injected = h.fake.chatInput({ guild: h.guild, user: h.users.member, name: 'attach' });
    const call = await h.fake.callback(injected);
    const body = call.body as { type: number; data: MessageBody };
    expect(body.type).toBe(4);
    expect(body.data.flags).toBeUndefined();
    expect(body.data.embeds?.[0]?.title).toBe('Your progress');
    expectChartAndCsv(call, body.data);
    expect(call.files?.[0]?.contentType).toBe('image/png');
  });

  it('attaches them to an ephemeral answer too', async () => {
    const injected = h.fake.chatInput({
      guild: h.guild,
      user: h.users.member,
      name: 'attach',
      options: { private: true },
    });
    const call = await h.fake.callback(injected);
    const body = call.body as { type: number; data: MessageBody };
    expect(body.data.flags).toBe(EPHEMERAL);
    expectChartAndCsv(call, body.data);
  });

  it('attaches them to the edit of a deferred answer', async () => {
    gates.current = new Gate();
    const injected = h.fake.chatInput({
      guild: h.guild,
      user: h.users.member,
      name: 'attach',
      options: { slow: true },
    });
    const deferred = await h.fake.callback(injected);
    expect((deferred.body as { type: number }).type).toBe(5);
    expect(deferred.files).toBeUndefined();
    await gates.current.reached;
    gates.current.open();
    const edit = await h.fake.waitForCall(
      (c) =>
        c.method === 'PATCH' && c.path === `/webhooks/${APPLICATION_ID}/${injected.token}/messages/@original`,
    );
    expectChartAndCsv(edit, edit.body as MessageBody);
  });

  it('attaches them to the ephemeral follow-up of a deferred private answer', async () => {
    gates.current = new Gate();
    const injected = h.fake.chatInput({
      guild: h.guild,
      user: h.users.member,
      name: 'attach',
      options: { slow: true, private: true },
    });
    await h.fake.callback(injected);
    await gates.current.reached;
    gates.current.open();
    const follow = await h.fake.waitForCall(
      (c) => c.method === 'POST' && c.path === `/webhooks/${APPLICATION_ID}/${injected.token}`,
    );
    expect((follow.body as MessageBody).flags).toBe(EPHEMERAL);
    expectChartAndCsv(follow, follow.body as MessageBody);
  });

  it('attaches them to a new private message answering a button', async () => {
    const injected = h.fake.button({ guild: h.guild, user: h.users.member, customId: 'attachbtn:again' });
    const call = await h.fake.callback(injected);
    const body = call.body as { type: number; data: MessageBody };
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expectChartAndCsv(call, body.data);
  });

  it('refuses a file over the 8 MiB limit with a line in the reply, and sends the others', async () => {
    const injected = h.fake.chatInput({
      guild: h.guild,
      user: h.users.member,
      name: 'attach',
      options: { big: true },
    });
    const call = await h.fake.callback(injected);
    const body = call.body as { data: MessageBody };
    expect(call.files?.map((f) => f.name)).toEqual(['progress.png', 'export.csv']);
    expect(body.data.embeds?.[0]?.description).toContain(
      "The file huge.csv (8 MiB) is over Discord's 8 MiB upload limit and was not attached.",
    );
  });
});

describe('files and private messages from the Poster', () => {
  const channel = (): ChannelRef => ({
    platform: 'discord',
    workspaceId: h.guild.id,
    channelId: h.guild.channels[0]?.id as string,
  });
  const card = reply({
    title: 'Export',
    text: 'The term, as a spreadsheet.',
    files: [chartFile(), csvFile()],
  });

  it('posts files into a channel with their content type, name and description', async () => {
    const ref = await h.adapter.poster.post(channel(), card);
    const call = await h.fake.waitForCall(
      (c) => c.method === 'POST' && c.path === `/channels/${channel().channelId}/messages` && !!c.files,
    );
    expectChartAndCsv(call, call.body as MessageBody);
    expect(call.files?.map((f) => f.contentType)).toEqual(['image/png', 'text/csv; charset=utf-8']);
    const stored = h.fake.attachmentsOf(ref.messageId);
    expect(stored.map((a) => [a.filename, a.size, a.description])).toEqual([
      ['progress.png', PNG.byteLength, CHART_ALT],
      ['export.csv', CSV.byteLength, undefined],
    ]);
  });

  it('sends a private message through a DM channel, files included, pinging nobody', async () => {
    const user = h.users.member;
    const text = reply({ text: '3 cards are due today, @everyone.', files: [csvFile()] });
    const ref = await h.adapter.poster.dm?.(
      { platform: 'discord', workspaceId: h.guild.id, id: user.id },
      text,
    );
    const open = await h.fake.waitForCall((c) => c.method === 'POST' && c.path === '/users/@me/channels');
    expect(open.body).toEqual({ recipient_id: user.id });
    expect(ref?.channel.channelId).toBe([...h.fake.dmChannels].find(([, u]) => u === user.id)?.[0]);
    const [message] = h.fake.dmMessages(user.id);
    expect(message?.id).toBe(ref?.messageId);
    expect(message?.body.allowed_mentions).toEqual(NO_MENTIONS);
    expect(h.fake.attachmentsOf(ref?.messageId as string).map((a) => Buffer.from(a.data))).toEqual([
      Buffer.from(CSV),
    ]);

    // A second DM reuses the channel.
    const opens = () => h.fake.calls.filter((c) => c.path === '/users/@me/channels').length;
    const before = opens();
    await h.adapter.poster.dm?.({ platform: 'discord', workspaceId: h.guild.id, id: user.id }, text);
    expect(opens()).toBe(before);
    expect(h.fake.dmMessages(user.id)).toHaveLength(2);
  });

  it('fails with PostError closed when the user does not take DMs (50007)', async () => {
    const user = h.users.other;
    h.fake.blockDms(user.id);
    const error = await h.adapter.poster
      .dm?.({ platform: 'discord', workspaceId: h.guild.id, id: user.id }, reply({ text: 'Reminder' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostError);
    expect((error as PostError).kind).toBe('closed');
    expect((error as PostError).message).toMatch(/Cannot send messages to this user/);
    expect(h.fake.dmMessages(user.id)).toHaveLength(0);
  });
});
